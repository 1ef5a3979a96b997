// The dlint VS Code extension: runs `dlint lsp` over stdio for Dockerfiles; the server does the rest.
import * as vscode from 'vscode';
import {
  DocumentSelector,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from 'vscode-languageclient/node';

/** Documents the server lints: VS Code's `dockerfile` language, and the names dlint recognises. */
const DOCUMENTS: DocumentSelector = [
  { language: 'dockerfile' },
  { scheme: 'file', pattern: '**/{Dockerfile,Containerfile}' },
  { scheme: 'file', pattern: '**/{Dockerfile,Containerfile}.*' },
  { scheme: 'file', pattern: '**/*.{Dockerfile,dockerfile}' },
];

/** Configuration files; a change makes the server reload its settings and lint again. */
const CONFIG_FILES = '**/{dlint.toml,.dlint.toml,.hadolint.yaml,.hadolint.yml}';

/** The running server's client and the watcher that feeds it. */
let running: { client: LanguageClient; watcher: vscode.FileSystemWatcher } | undefined;
/** One channel for the server's log and traces, kept across restarts. */
let output: vscode.OutputChannel | undefined;

function executable(): string {
  return vscode.workspace.getConfiguration('dlint').get<string>('path')?.trim() || 'dlint';
}

async function start(): Promise<void> {
  const command = executable();
  // No `transport`: the client would append `--stdio`; plain stdio is `dlint lsp`'s only transport.
  const server: ServerOptions = { command, args: ['lsp'] };
  const watcher = vscode.workspace.createFileSystemWatcher(CONFIG_FILES);
  const options: LanguageClientOptions = {
    documentSelector: DOCUMENTS,
    synchronize: { fileEvents: watcher },
    outputChannel: output,
  };
  // The id `dlint` makes the client read the `dlint.trace.server` setting.
  const client = new LanguageClient('dlint', 'dlint', server, options);
  running = { client, watcher };
  try {
    await client.start();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    void vscode.window.showErrorMessage(
      `dlint: could not start \`${command} lsp\` (${message}). Install dlint or set \`dlint.path\`.`,
    );
  }
}

async function stop(): Promise<void> {
  const current = running;
  running = undefined;
  if (current === undefined) {
    return;
  }
  current.watcher.dispose();
  // A client whose start failed has no server to stop.
  if (current.client.isRunning()) {
    await current.client.dispose();
  }
}

async function restart(): Promise<void> {
  await stop();
  await start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('dlint');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('dlint.restart', restart),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('dlint.path')) {
        void restart();
      }
    }),
  );
  await start();
}

export function deactivate(): Promise<void> {
  return stop();
}
