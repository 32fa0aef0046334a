import { useEffect, useRef, useState } from 'preact/hooks';

/** One thing the menu can do. */
export interface ExportChoice {
  id: string;
  label: string;
  run(): void;
}

export interface ExportMenuProps {
  label: string;
  choices: readonly ExportChoice[];
  /** While everything is still loading, exporting would leave things out. */
  disabled: boolean;
}

/** The "Export" button and its menu; arrow keys move, Escape closes. */
export function ExportMenu({ label, choices, disabled }: ExportMenuProps) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    root.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const close = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', close);
    return () => document.removeEventListener('pointerdown', close);
  }, [open]);
  const onKeyDown = (event: KeyboardEvent) => {
    const items = [...(root.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(event.target as HTMLElement);
    const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (event.key === 'Escape' || event.key === 'Tab') {
      setOpen(false);
      if (event.key === 'Escape') button.current?.focus();
    } else if (step !== undefined && at !== -1) {
      event.preventDefault();
      items[(at + step + items.length) % items.length]?.focus();
    }
  };
  const pick = (choice: ExportChoice) => {
    setOpen(false);
    button.current?.focus();
    choice.run();
  };
  return (
    <div class="menu-root" ref={root} onKeyDown={onKeyDown}>
      <button
        ref={button}
        type="button"
        class="button"
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={disabled}
        onClick={() => setOpen(!open)}
      >
        {label}
        <svg viewBox="0 0 16 16" width="10" height="10" aria-hidden="true">
          <path d="M4 6l4 4 4-4" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
        </svg>
      </button>
      {open && (
        <div class="menu" role="menu" aria-label={label}>
          {choices.map((choice) => (
            <button
              key={choice.id}
              type="button"
              role="menuitem"
              class="menu-item"
              tabIndex={-1}
              onClick={() => pick(choice)}
            >
              {choice.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
