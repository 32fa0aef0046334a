/** Reading the reader's selection, limited to the lesson's text. */

/** The current selection as a range when it is non-empty and lies inside one of `roots`. */
export function selectedRangeWithin(doc: Document, roots: readonly Element[]): Range | null {
  const selection = doc.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!range.toString().trim()) return null;
  const inside = (node: Node) => roots.some((root) => root.contains(node));
  return inside(range.startContainer) && inside(range.endContainer) ? range : null;
}

/** The bounding box of a range, or null when it is not rendered. */
export function rangeBox(range: Range): DOMRect | null {
  const rect = range.getBoundingClientRect();
  return rect.width === 0 && rect.height === 0 ? null : rect;
}
