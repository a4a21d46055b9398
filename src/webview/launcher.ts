// The Launcher webview's script. Everything from the cluster is set with textContent, never as HTML;
// buttons send back only a service id, and the extension decides what (if anything) to open.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';

interface Card {
  id: string;
  name: string;
  description: string;
  techDetails: string;
  health: { text: string; state: string };
  runsOn: string;
  url?: string;
  warnings: string[];
}

interface VsCodeApi {
  postMessage(message: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('cards')!;
const status = document.getElementById('status')!;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderCard(card: Card): HTMLElement {
  const article = element('article', 'card');
  article.setAttribute('aria-label', card.name);
  const header = element('header', 'card-header');
  header.append(element('h2', 'card-name', card.name));
  const badge = document.createElement('vscode-badge');
  badge.className = `health health-${/^(passing|warning|critical)$/.test(card.health.state) ? card.health.state : 'unknown'}`;
  badge.textContent = card.health.text;
  header.append(badge);
  article.append(header);
  if (card.description) article.append(element('p', 'card-description', card.description));
  article.append(element('p', 'card-meta', card.url ? `${card.runsOn} · ${card.url}` : card.runsOn));
  if (card.techDetails) {
    const details = document.createElement('vscode-collapsible');
    details.setAttribute('title', 'Tech details');
    details.append(element('p', 'card-tech', card.techDetails));
    article.append(details);
  }
  for (const warning of card.warnings) {
    article.append(element('p', 'card-warning', `⚠ ${warning}`));
  }
  const actions = element('div', 'card-actions');
  const open = document.createElement('vscode-button');
  open.textContent = 'Open';
  open.className = 'open';
  if (card.url) {
    open.addEventListener('click', () => vscode.postMessage({ type: 'open', id: card.id }));
  } else {
    open.setAttribute('disabled', '');
  }
  const reveal = document.createElement('vscode-button');
  reveal.textContent = 'Show in Explorer';
  reveal.className = 'reveal';
  reveal.setAttribute('secondary', '');
  reveal.addEventListener('click', () => vscode.postMessage({ type: 'reveal', id: card.id }));
  actions.append(open, reveal);
  article.append(actions);
  return article;
}

function renderEmpty(reason: string): void {
  const empty = element('section', 'empty');
  empty.append(element('h2', 'empty-title', reason));
  empty.append(element('p', '', 'A service gets a button when its Consul registration carries launcher.* tags, like these in a Nomad service block (or consul_service_tags of an ECS service):'));
  empty.append(element('pre', 'example', 'tags = [\n  "launcher.name=Grafana",\n  "launcher.description=Dashboards of the cluster",\n  "launcher.techDetails=Grafana 11, on Nomad",\n  "launcher.subDomain=grafana",\n  "traefik.enable=true",\n  "traefik.http.routers.grafana.rule=Host(`grafana.example.com`)",\n]'));
  empty.append(element('p', '', 'The button opens the address of the Traefik router for the service, or launcher.subDomain under the "hashistack.launcher.domain" setting.'));
  root.replaceChildren(empty);
}

window.addEventListener('message', (event: MessageEvent) => {
  const message = event.data as { type?: string; cards?: Card[]; state?: string };
  if (message?.type !== 'cards' || !Array.isArray(message.cards)) return;
  status.textContent = message.state ?? '';
  if (message.cards.length === 0) {
    renderEmpty(message.state ? 'No services to show yet' : 'No service has launcher.* tags');
    return;
  }
  root.replaceChildren(...message.cards.map(renderCard));
});

vscode.postMessage({ type: 'ready' });
