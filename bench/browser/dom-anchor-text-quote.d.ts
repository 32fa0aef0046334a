/** Types for dom-anchor-text-quote 4 (the package ships none), as its README documents the API. */
declare module 'dom-anchor-text-quote' {
  export interface TextQuote {
    exact: string;
    prefix?: string;
    suffix?: string;
  }
  /** Describes a range of `root`'s text content, with up to 32 characters of context on each side. */
  export function fromRange(root: Node, range: Range): Required<TextQuote>;
  /** Finds a (possibly approximate) match of the quote; `hint` is an offset in `root`'s text to search near. */
  export function toRange(root: Node, selector: TextQuote, options?: { hint?: number }): Range | null;
}
