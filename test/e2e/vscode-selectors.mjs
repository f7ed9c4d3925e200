// Every VS Code DOM class name and ARIA label the end-to-end test relies on lives here: they are
// workbench internals, so a VS Code upgrade that renames one is a one-file change. Verified
// against code-server 4.100.3 (VS Code 1.100.3).

/** CSS selectors of workbench parts. */
export const sel = {
  /** The workbench is rendered. */
  workbench: '.monaco-workbench',
  /** Rows of the Explorer's file tree. */
  explorerRow: '.explorer-folders-view .monaco-list-row',
  /** The quick input (Quick Open, Command Palette, quick picks) and its rows. */
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget input',
  quickInputRow: '.quick-input-list .monaco-list-row',
  /** The input of Quick Open (Go to File), told apart by its placeholder. */
  quickOpenInput: '.quick-input-widget input[placeholder^="Search files by name"]',
  /** The text of the active editor. */
  editorLines: '.editor-instance .monaco-editor .view-lines',
  /** A view line of the active editor (one per visible line). */
  editorLine: '.editor-instance .monaco-editor .view-lines .view-line',
  /** Editor tabs, and the active one. */
  tab: '.tabs-container .tab',
  activeTab: '.tabs-container .tab.active',
  /** Squiggles by severity. */
  squiggleWarning: '.monaco-editor .squiggly-warning',
  squiggleError: '.monaco-editor .squiggly-error',
  squiggleInfo: '.monaco-editor .squiggly-info',
  /** Status bar entry with the problem counts (its aria-label reads e.g. "Warnings: 2"). */
  problemsStatus: '#status\\.problems',
  /** Status bar entries, by the id VS Code gives them: `<extension id>.<item id>`. */
  statusItem: (id) => `#${id.replace(/\./g, '\\.')}`,
  /** Rows of the Problems panel. */
  problemsRow: '.markers-panel .monaco-list-row',
  /** Any visible hover: editor hovers and the workbench hovers of the status bar. */
  anyHover: '.monaco-hover:visible, .workbench-hover:visible',
  /** The visible hover (a hidden one comes first in the DOM). */
  hover: '.monaco-hover-content:visible',
  /** Rows of the completion list. */
  suggestRow: '.suggest-widget .monaco-list-row',
  /** Rows of the code action (quick fix) menu. */
  actionRow: '.action-widget .monaco-list-row',
  /** An activity bar entry by the start of its label (the view container's title). */
  activityItem: (title) => `.activitybar .action-item a[aria-label^="${title}"]`,
  /**
   * A view pane by its title. The header is hidden when the pane is alone in its container (the
   * container's title bar shows the name), but it stays in the DOM with its aria-label.
   */
  viewPane: (title) => `.pane:has(> .pane-header[aria-label^="${title}"])`,
  /** Rows of a tree or list, and the description after a row's label. */
  treeRow: '.monaco-list-row',
  treeRowDescription: '.label-description',
  /** The status bar entries. */
  statusBarItem: '.statusbar-item',
  /** The focused row of a list (quick fix menu, suggest widget). */
  focusedRow: '.monaco-list-row.focused',
  /** An editor with keyboard focus. */
  focusedEditor: '.editor-instance .monaco-editor.focused',
  /** The Settings editor and one setting in it. */
  settingsEditor: '.settings-editor',
  settingItem: '.settings-editor .setting-item',
  /** The editor's Find widget. */
  findWidget: '.editor-widget.find-widget.visible',
  /**
   * An action of the side bar's view title bar by its label, and the items of the menu it opens
   * (menus live in a shadow root, which Playwright's CSS engine pierces).
   */
  viewTitleAction: (label) => `.part.sidebar a.action-label[aria-label^="${label}"]:visible`,
  menuItem: '.monaco-menu .action-item',
  /** Notification toasts. */
  notification: '.notifications-toasts .notification-toast',
};

/** Keyboard shortcuts of the default keymap on Linux. */
export const keys = {
  quickOpen: 'Control+P',
  commandPalette: 'Control+Shift+P',
  problems: 'Control+Shift+M',
  quickFix: 'Control+.',
  suggest: 'Control+Space',
  save: 'Control+S',
  find: 'Control+F',
  settings: 'Control+,',
  closeEditor: 'Control+W',
  focusEditor: 'Control+1',
  undo: 'Control+Z',
  nextProblem: 'F8',
  goToEnd: 'Control+End',
  goToStart: 'Control+Home',
  closeAllEditors: 'Control+K Control+W',
};
