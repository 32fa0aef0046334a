import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export interface PopoverProps {
  label: string;
  top: number;
  left: number;
  onEscape(): void;
  children: ComponentChildren;
}

/**
 * A small floating toolbar. Mouse presses inside it must not take the
 * reader's selection away, and arrow keys move between its buttons.
 */
export function Popover({ label, top, left, onEscape, children }: PopoverProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.animate?.([{ opacity: 0, transform: 'translateY(4px)' }, { opacity: 1 }], 120);
  }, []);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') return onEscape();
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const buttons = [...(ref.current?.querySelectorAll('button') ?? [])];
    const at = buttons.indexOf(event.target as HTMLButtonElement);
    const step = event.key === 'ArrowRight' ? 1 : -1;
    buttons[(at + step + buttons.length) % buttons.length]?.focus();
    event.preventDefault();
  };
  return (
    <div
      ref={ref}
      class="popover"
      role="toolbar"
      aria-label={label}
      style={{ top: `${top}px`, left: `${left}px` }}
      onMouseDown={(event) => event.preventDefault()}
      onKeyDown={onKeyDown}
    >
      {children}
    </div>
  );
}
