// VS Code's progress and cancellation as the core's ProgressPort and CancellationPort, for pushes.
import type * as vscode from 'vscode';
import type { CancellationPort, ProgressPort } from '../../core/ports';

export function progressPort(p: vscode.Progress<{ message?: string; increment?: number }>): ProgressPort {
  return { report: (u) => p.report(u) };
}

export function cancellationPort(token: vscode.CancellationToken): CancellationPort {
  return {
    get isCancellationRequested() {
      return token.isCancellationRequested;
    },
    onCancellationRequested: (listener) => token.onCancellationRequested(() => listener()),
  };
}
