/**
 * Wording shared by several rules: how an item and a control are named in messages.
 */
import type { Control } from '../../../../catalog/src/types';
import type { Lang } from '../types';

/**
 * An item as authors read it, the one form of every message, menu, export and hover: the
 * printed label after the control id, with the list named in words for the later lists of a
 * control that has several — `TEL.18.1.6 e)`, `TEL.18.1.6 guideline g)` / `TEL.18.1.6 指針 g)`,
 * `12.4.1 related information 1.`.
 */
export { itemLabel } from '../../../../catalog/src/labels';

/** The control's id and title in the language: "TEL.18.1.6 通信の秘密保持". */
export function controlName(control: Control | undefined, id: string, lang: Lang): string {
  return control ? `${id} ${control.title[lang]}` : id;
}
