import { useRef } from 'preact/hooks';

export interface ImportButtonProps {
  label: string;
  description: string;
  /** Called with the chosen file's text. */
  onFile(text: string): void;
  onReadError(reason: string): void;
}

/** "Import…": picks a JSON export and hands its text on (the background validates and merges it). */
export function ImportButton({ label, description, onFile, onReadError }: ImportButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  const onChange = async () => {
    const file = input.current?.files?.[0];
    if (!file) return;
    try {
      onFile(await file.text());
    } catch (error) {
      onReadError(String(error));
    } finally {
      if (input.current) input.current.value = '';
    }
  };
  return (
    <>
      <button type="button" class="button" title={description} onClick={() => input.current?.click()}>
        {label}
      </button>
      <input ref={input} type="file" accept=".json,.jsonld,application/json,application/ld+json" hidden aria-label={description} onChange={() => void onChange()} />
    </>
  );
}
