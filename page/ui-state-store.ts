/**
 * The in-page UI's state, shared by the lesson and notes controllers: each
 * changes its part, and every change is rendered at once.
 */
import { EMPTY_UI_STATE, type PageUiState } from './page-ui-state';

/** Renders a state (implemented by the shadow-root UI host). */
export interface PageUiRenderer {
  render(state: PageUiState): void;
}

export class UiStateStore {
  private current: PageUiState = EMPTY_UI_STATE;

  constructor(private readonly renderer: PageUiRenderer) {}

  get state(): PageUiState {
    return this.current;
  }

  /** Changes some fields and renders. */
  update(patch: Partial<PageUiState>): void {
    this.current = { ...this.current, ...patch };
    this.renderer.render(this.current);
  }

  /** Back to nothing shown. */
  reset(): void {
    this.current = EMPTY_UI_STATE;
    this.renderer.render(this.current);
  }
}
