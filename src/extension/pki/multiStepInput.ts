// A small multi-step QuickInput: one titled flow with "step n of m" and a Back button, in the
// extension host. Each step resolves to a value, 'back', or undefined when the user cancels.
import * as vscode from 'vscode';

export type StepResult<T> = T | 'back' | undefined;

export interface TextStep {
  title: string;
  step: number;
  totalSteps: number;
  prompt: string;
  value: string;
  placeholder?: string;
  /** Returns a message when the value is not acceptable. */
  validate?: (value: string) => string | undefined;
  /** An extra title-bar button (e.g. Browse…) that replaces the value. */
  extraButton?: { icon: string; tooltip: string; run: () => Promise<string | undefined> };
}

export function textStep(s: TextStep): Promise<StepResult<string>> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = s.title;
    box.step = s.step;
    box.totalSteps = s.totalSteps;
    box.prompt = s.prompt;
    box.value = s.value;
    box.placeholder = s.placeholder ?? '';
    box.ignoreFocusOut = true;
    const extra = s.extraButton
      ? { iconPath: new vscode.ThemeIcon(s.extraButton.icon), tooltip: s.extraButton.tooltip }
      : undefined;
    box.buttons = [...(s.step > 1 ? [vscode.QuickInputButtons.Back] : []), ...(extra ? [extra] : [])];
    let done = false;
    const finish = (v: StepResult<string>) => {
      if (done) return;
      done = true;
      box.dispose();
      resolve(v);
    };
    const check = () => {
      box.validationMessage = s.validate?.(box.value);
    };
    box.onDidChangeValue(check);
    box.onDidAccept(() => {
      check();
      if (!box.validationMessage) finish(box.value);
    });
    box.onDidTriggerButton(async (b) => {
      if (b === vscode.QuickInputButtons.Back) return finish('back');
      const v = await s.extraButton?.run();
      if (v !== undefined) box.value = v;
      check();
    });
    box.onDidHide(() => finish(undefined));
    box.show();
    check();
  });
}

export interface PickStep<T> {
  title: string;
  step: number;
  totalSteps: number;
  placeholder: string;
  items: Array<vscode.QuickPickItem & { value: T }>;
  active?: T;
}

export function pickStep<T>(s: PickStep<T>): Promise<StepResult<T>> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { value: T }>();
    pick.title = s.title;
    pick.step = s.step;
    pick.totalSteps = s.totalSteps;
    pick.placeholder = s.placeholder;
    pick.items = s.items;
    pick.ignoreFocusOut = true;
    const active = s.items.find((i) => i.value === s.active);
    if (active) pick.activeItems = [active];
    pick.buttons = s.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    let done = false;
    const finish = (v: StepResult<T>) => {
      if (done) return;
      done = true;
      pick.dispose();
      resolve(v);
    };
    pick.onDidAccept(() => finish(pick.selectedItems[0]?.value));
    pick.onDidTriggerButton(() => finish('back'));
    pick.onDidHide(() => finish(undefined));
    pick.show();
  });
}

/** Runs steps in order; a step returning 'back' reruns the previous one, undefined cancels the flow. */
export async function runSteps(steps: Array<() => Promise<StepResult<unknown>>>): Promise<boolean> {
  let i = 0;
  while (i < steps.length) {
    const r = await steps[i]!();
    if (r === undefined) return false;
    i = r === 'back' ? Math.max(0, i - 1) : i + 1;
  }
  return true;
}
