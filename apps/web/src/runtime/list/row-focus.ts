import { type FocusEvent, type KeyboardEvent, useLayoutEffect, useRef } from 'react';

/** The focusable controls of a row: its checkbox and the link to its record. */
type Control = 'input' | 'a';

/** The record index a row shows, from its `aria-rowindex` (the header row is 1, records 2…). */
function indexOf(row: Element | null): number {
  return Number(row?.getAttribute('aria-rowindex') ?? 0) - 2;
}

/**
 * Keyboard focus in a grid body whose rows are recycled: the row elements stay while the range
 * of rows in view moves (the row at position k shows record `first + k`), so after the range moves
 * the focus goes to the element that now shows the focused record — on the same record, not on
 * whichever record moved into its element — or leaves the grid when the record left the DOM.
 * ArrowDown / ArrowUp focus the same control of the next / previous row (there thanks to the
 * overscan; focusing scrolls it into view, below the sticky header by the grid's scroll padding).
 */
export function useRowFocus(first: number) {
  const body = useRef<HTMLTableSectionElement>(null);
  const focused = useRef<{ index: number; control: Control } | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the range moves (the rows' records change)
  useLayoutEffect(() => {
    const at = focused.current;
    const active = document.activeElement;
    if (!at || !(active instanceof HTMLElement) || !body.current?.contains(active)) return;
    const row = body.current.querySelector(`tr[aria-rowindex="${at.index + 2}"]`);
    const target = row?.querySelector<HTMLElement>(at.control);
    if (!target) active.blur();
    else if (target !== active) target.focus({ preventScroll: true });
  }, [first]);
  const onFocus = (event: FocusEvent<HTMLTableSectionElement>) => {
    const control: Control = event.target.tagName === 'A' ? 'a' : 'input';
    focused.current = { index: indexOf(event.target.closest('tr')), control };
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const control = event.target as HTMLElement;
    const row = control.closest('tr');
    const next = event.key === 'ArrowDown' ? row?.nextElementSibling : row?.previousElementSibling;
    const target = next?.querySelector<HTMLElement>(control.tagName === 'A' ? 'a' : 'input');
    if (!target) return;
    event.preventDefault();
    target.focus();
  };
  return { ref: body, onFocus, onKeyDown };
}
