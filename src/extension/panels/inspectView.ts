// Placeholder replaced by the inspect view.
import type * as vscode from 'vscode';
import type { Services } from '../services';
export async function inspectCertificate(_s: Services, _uri?: vscode.Uri): Promise<void> {}
