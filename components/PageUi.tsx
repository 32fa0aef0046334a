import type { PageUiActions, PageUiState } from '../page/page-ui-state';
import { ColorButtons } from './ColorButtons';
import { Popover } from './Popover';
import type { Strings } from './strings';
import { Toast } from './Toast';

export interface PageUiProps {
  state: PageUiState;
  strings: Strings;
  actions: PageUiActions;
}

/** Everything we show on a lesson page: selection toolbar, highlight menu, toast. */
export function PageUi({ state, strings, actions }: PageUiProps) {
  const { toolbar, menu, toast } = state;
  return (
    <>
      {toolbar && (
        <Popover label={strings.toolbarLabel} top={toolbar.top} left={toolbar.left} onEscape={actions.dismiss}>
          <ColorButtons strings={strings} onPick={actions.pickToolbarColor} />
        </Popover>
      )}
      {menu && (
        <Popover label={strings.menuLabel} top={menu.top} left={menu.left} onEscape={actions.dismiss}>
          <ColorButtons strings={strings} current={menu.color} onPick={actions.pickMenuColor} />
          <span class="divider" aria-hidden="true" />
          <button type="button" class="text-button danger" onClick={actions.deleteFromMenu}>
            {strings.deleteHighlight}
          </button>
        </Popover>
      )}
      {toast && <Toast toast={toast} strings={strings} onUndo={actions.undo} onDismiss={actions.dismiss} />}
    </>
  );
}
