import * as vscode from 'vscode';
import { CLOUDWATCH_BACKLOG_MS, CloudWatchTail } from '../core/aws/cloudWatchTail';
import { awsLogsStreamName, elsewhereWords, logGroupArn } from '../core/aws/ecsLogs';
import { LogStreamType, LogTail } from '../core/live/logTail';
import { ColourSlots, logFilter, LogLine, LogRing } from '../core/nomad/logFrames';
import { mergeByTime } from '../core/nomad/logOrder';
import { itemNamespace } from '../core/tree/nomad/nomadProperties';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { markWalkthroughStep } from '../services/walkthroughProgress';

export const LOG_SCHEME = 'hashistack-logs';
/** The log views' language: the built-in log grammar, with word wrap on by default (package.json). */
export const LOG_LANGUAGE = 'hashistack-log';
/** Set while the active editor is a log view that follows its new lines: the title bar's Follow toggle. */
const FOLLOWING_CONTEXT = 'hashistack.logFollowing';
/** A log view is redrawn at most this often, however fast lines come. */
const LOG_RENDER_MS = 250;
/** A view whose last visible line is this close to its end counts as at the end (it follows new lines). */
const FOLLOW_MARGIN_LINES = 3;
/** Scroll events this soon after a redraw was asked for, before its reveal, come from the redraw itself. */
const RENDER_SCROLL_GRACE_MS = 1_000;
/**
 * Colours of the allocation prefixes in a job's merged view: VS Code's chart colours, which themes keep
 * apart from each other, and no red (a prefix is not an error); an allocation keeps its slot.
 */
const PREFIX_COLOURS = ['charts.blue', 'charts.orange', 'charts.purple', 'charts.green', 'charts.yellow', 'terminal.ansiCyan'];

/** A followed log: a Nomad task's (LogTail) or CloudWatch Logs streams of an ECS container (CloudWatchTail). */
interface LogSource {
  start(): Promise<void>;
  stop(): void;
  readonly stopped: boolean;
}

interface Stream {
  /** The Nomad allocation; empty for an ECS container's streams. */
  allocationId: string;
  /** The Nomad task, or the ECS container. */
  task: string;
  /** `a1b2c3d4 web`: the prefix of its lines in a merged view. */
  source: string;
  tail: LogSource;
}

/** An ECS service's logs, or one task's (a stopped one's up to when it stopped). */
interface EcsLogTarget {
  service: string;
  taskId?: string;
  stoppedAt?: number;
}

interface Session {
  uri: vscode.Uri;
  title: string;
  type: LogStreamType;
  filterText: string;
  ring: LogRing;
  streams: Map<string, Stream>;
  /** A job's view: allocations join and leave as the store sees them. */
  job?: { id: string; namespace: string; subscription?: vscode.Disposable; tasks?: string[] };
  /** A single task's view. */
  single?: { allocationId: string; task: string; namespace: string; jobId: string };
  /** An ECS service's view (every task, tasks that start later join), or one task's. */
  ecs?: EcsLogTarget;
  renderTimer?: NodeJS.Timeout;
  /** Which palette colour each allocation's prefix has. */
  colours: ColourSlots;
  /** Whether each line is prefixed by the time it arrived. */
  showTimes: boolean;
  /**
   * Whether the view follows new lines (tail -f). It starts following, stops when the user scrolls up to
   * read, and follows again once they scroll back to the end. Kept as a state rather than read from the
   * editor at each redraw: a view opened at its first line with a backlog below would otherwise never
   * scroll, and show no new line while lines arrive.
   */
  follow: boolean;
  /** When the last redraw was asked for: scroll events until its reveal are the redraw's, not the user's. */
  renderedAt?: number;
  demand?: vscode.Disposable;
}

/**
 * Logs in the editor, followed like `tail -f`: one task of an allocation, or every running allocation of a
 * job merged with a coloured `allocation task` prefix. Each view is a read-only document; it streams while
 * its tab is open, switches between stdout and stderr, and filters by text or /regex/.
 */
export class LogViews implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly sessions = new Map<string, Session>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly decorations = PREFIX_COLOURS.map((colour) => vscode.window.createTextEditorDecorationType({ color: new vscode.ThemeColor(colour), fontWeight: 'bold' }));
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly host: ClusterStoreHost,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      vscode.workspace.registerTextDocumentContentProvider(LOG_SCHEME, this),
      // A view streams while one of its tabs is open.
      vscode.window.tabGroups.onDidChangeTabs((event) => {
        for (const tab of event.closed) {
          const uri = tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
          if (uri?.scheme === LOG_SCHEME && !this.isOpen(uri)) this.close(uri.toString());
        }
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorateAll()),
      // A tail holds its store's client and token: it ends with the store, saying why.
      host.onWillReplaceStore(({ profileName }) => this.endAll(`— the log stopped: the cluster profile "${profileName}" was switched away from, or its token changed; open the log again to follow it on the active cluster`)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.uri.scheme === LOG_SCHEME) this.afterRender(event.document);
      }),
      // Scrolling up to read stops following; scrolling back to the end follows again.
      vscode.window.onDidChangeTextEditorVisibleRanges((event) => {
        const session = this.sessions.get(event.textEditor.document.uri.toString());
        if (session && !(session.renderedAt !== undefined && Date.now() - session.renderedAt < RENDER_SCROLL_GRACE_MS)) this.setFollow(session, (event.visibleRanges.at(-1)?.end.line ?? 0) >= event.textEditor.document.lineCount - FOLLOW_MARGIN_LINES);
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateContext()),
    ];
  }

  private isOpen(uri: vscode.Uri): boolean {
    return vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri.toString()));
  }

  /** Streams still open (for the tests, which check that closing a view stops its streams). */
  get openStreams(): number {
    let count = 0;
    for (const session of this.sessions.values()) for (const stream of session.streams.values()) if (!stream.tail.stopped) count++;
    return count;
  }

  /** One task's log. */
  async showTask(allocation: { id: string; jobId: string; namespace: string; task: string }, type: LogStreamType = 'stdout'): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: LOG_SCHEME, path: `/${allocation.jobId}/${allocation.id.slice(0, 8)} ${allocation.task}.log` });
    const session = this.session(uri, `${allocation.jobId} · allocation ${allocation.id.slice(0, 8)} · task ${allocation.task}`, type);
    session.single = { allocationId: allocation.id, task: allocation.task, namespace: allocation.namespace, jobId: allocation.jobId };
    this.restart(session);
    return this.open(session);
  }

  /** Every running allocation of a job, merged; allocations that start later join, ones that stop are marked. */
  async showJob(job: { id: string; namespace: string }, type: LogStreamType = 'stdout'): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: LOG_SCHEME, path: `/${job.id}/all allocations.log` });
    const session = this.session(uri, `${job.id} · every running allocation`, type);
    session.job = { id: job.id, namespace: job.namespace };
    session.demand ??= this.host.need(['nomad']);
    session.job.subscription ??= this.host.onDidChange((change) => {
      if (change.section === 'nomad') void this.reconcileJob(session);
    });
    this.restart(session);
    return this.open(session);
  }

  /**
   * An ECS service's containers' logs from CloudWatch Logs (every task of the service, each line prefixed by
   * task and container), or one task's. Lines carry the event's time; stdout and stderr are one stream there.
   */
  async showEcs(target: EcsLogTarget): Promise<vscode.TextEditor> {
    const name = target.taskId ? `${target.service}/${target.taskId.slice(0, 8)}` : `${target.service}/all tasks`;
    // Under `/ECS logs/`: no Nomad job ID has a space (Nomad refuses one), so no Nomad log view's path starts so —
    // the stdout/stderr toggle's `when` tells the two apart by it.
    const uri = vscode.Uri.from({ scheme: LOG_SCHEME, path: `/ECS logs/${name}.log` });
    const session = this.session(uri, target.taskId ? `ECS ${target.service} · task ${target.taskId.slice(0, 8)}` : `ECS ${target.service} · every task`, 'stdout');
    session.ecs = { ...target };
    session.showTimes = true;
    this.restart(session);
    return this.open(session);
  }

  /** Starts a CloudWatchTail per awslogs container of the session's ECS service. */
  private async startEcs(session: Session, ecs: EcsLogTarget): Promise<void> {
    const store = this.host.store;
    const aws = store?.aws;
    const data = aws?.state.data;
    const service = data?.services?.find((candidate) => candidate.name === ecs.service);
    if (!aws || !data || !service) {
      session.ring.note(`— ECS service ${ecs.service} is not in the AWS section of "${this.host.activeProfile.name}" now: refresh the AWS view, then open its logs again`);
      this.scheduleRender(session);
      return;
    }
    const { awslogs, elsewhere } = service.logging;
    if (elsewhere.length) session.ring.note(`— ${elsewhereWords(service.name, elsewhere)}`);
    // A service's lines say their task and container; one task's, their container when it has several.
    const sourceOf = (container: string, stream: string): string | undefined => (ecs.taskId ? (awslogs.length > 1 ? container : undefined) : `${stream.split('/').pop()!.slice(0, 8)} ${container}`);
    for (const container of awslogs) {
      if (!container.streamPrefix) {
        session.ring.note(`— "${container.container}" logs to ${container.group} without awslogs-stream-prefix: its streams are named by Docker container IDs, which do not say the task; set awslogs-stream-prefix (Fargate requires it)`);
        continue;
      }
      const region = container.region ?? data.region;
      const api = await aws.cloudWatchLogs(region).catch((error: unknown) => error as Error);
      // The view may have closed, or the profile switched, while the client was made.
      if (this.sessions.get(session.uri.toString()) !== session || session.ecs !== ecs || this.host.store !== store) return;
      if (api instanceof Error) {
        session.ring.note(`— ${container.container}: ${api.message}`);
        continue;
      }
      const streams = ecs.taskId ? { names: [awsLogsStreamName(container, ecs.taskId)!] } : { prefix: `${container.streamPrefix}/${container.container}/` };
      const groupArn = logGroupArn(service.taskDefinition || service.arn, region, container.group);
      // A stopped task's streams end: the minutes before it stopped are read, and nothing is followed.
      const ended = ecs.stoppedAt !== undefined ? { since: ecs.stoppedAt - CLOUDWATCH_BACKLOG_MS, follow: false } : {};
      const tail = new CloudWatchTail(api, { group: container.group, ...(groupArn ? { groupArn } : {}), streams, ...ended }, {
        onEvents: (events) => {
          for (const event of events) session.ring.event(event.message, event.timestamp, sourceOf(container.container, event.stream));
          this.scheduleRender(session);
        },
        onNote: (text) => {
          session.ring.note(text);
          this.scheduleRender(session);
        },
      });
      session.streams.set(`${container.group}/${container.container}`, { allocationId: '', task: container.container, source: container.container, tail });
      void tail.start().catch((error: unknown) => this.log.warn(`Log of ECS ${ecs.service} ${container.container}: ${error instanceof Error ? error.message : String(error)}`));
    }
    if (!awslogs.length && !elsewhere.length) session.ring.note(`— ${service.name}'s task definition has no container`);
    this.scheduleRender(session);
  }

  private session(uri: vscode.Uri, title: string, type: LogStreamType): Session {
    const key = uri.toString();
    let session = this.sessions.get(key);
    if (!session) {
      session = { uri, title, type, filterText: '', ring: new LogRing(), streams: new Map(), follow: true, colours: new ColourSlots(PREFIX_COLOURS.length), showTimes: false };
      this.sessions.set(key, session);
    }
    session.type = type;
    return session;
  }

  private async open(session: Session): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument(session.uri);
    if (document.languageId !== LOG_LANGUAGE) await vscode.languages.setTextDocumentLanguage(document, LOG_LANGUAGE);
    const editor = await vscode.window.showTextDocument(document, { preview: false, preserveFocus: false });
    markWalkthroughStep('readLogs');
    // A log opens at its newest line and follows (the content may already be current: no change to reveal on).
    this.setFollow(session, true);
    this.revealEnd(editor);
    this.render(session);
    return editor;
  }

  /** The session's streams again from scratch (a new type, or a new view). */
  private restart(session: Session): void {
    for (const stream of session.streams.values()) stream.tail.stop();
    session.streams.clear();
    session.ring.clear();
    if (session.ecs) {
      const minutes = CLOUDWATCH_BACKLOG_MS / 60_000;
      session.ring.note(`— ${session.title}: CloudWatch Logs, ${session.ecs.stoppedAt !== undefined ? `the ${minutes} minutes before it stopped (${new Date(session.ecs.stoppedAt).toISOString()})` : `the last ${minutes} minutes, then following`}`);
      void this.startEcs(session, session.ecs);
      this.scheduleRender(session);
      return;
    }
    session.ring.note(`— ${session.title}: ${session.type}, the last 64 KiB, then following`);
    if (session.single) this.addStream(session, session.single.allocationId, session.single.task, undefined);
    if (session.job) void this.reconcileJob(session);
    this.scheduleRender(session);
  }

  private addStream(session: Session, allocationId: string, task: string, source: string | undefined): void {
    const key = `${allocationId}/${task}`;
    const store = this.host.store;
    if (!store || session.streams.has(key)) return;
    const tail = new LogTail(store.nomad.api, {
      allocationId,
      task,
      type: session.type,
      onData: (data) => {
        session.ring.append(data, source);
        this.scheduleRender(session);
      },
      onNote: (text) => {
        session.ring.note(text, source);
        this.scheduleRender(session);
      },
      stillRunning: () => {
        const allocation = this.host.store?.nomad.state.data?.allocations.find((candidate) => candidate.ID === allocationId);
        return !allocation || (allocation.DesiredStatus === 'run' && (allocation.ClientStatus === 'running' || allocation.ClientStatus === 'pending'));
      },
    });
    session.streams.set(key, { allocationId, task, source: source ?? '', tail });
    void tail.start().catch((error: unknown) => this.log.warn(`Log of ${allocationId} ${task}: ${error instanceof Error ? error.message : String(error)}`));
  }

  /** A job's view follows the store: a running allocation joins, one that stops is marked and let go. */
  private async reconcileJob(session: Session): Promise<void> {
    const job = session.job;
    const store = this.host.store;
    const data = store?.nomad.state.data;
    if (!job || !store || !data || !this.sessions.has(session.uri.toString())) return;
    job.tasks ??= await this.tasksOf(job.id, job.namespace);
    // The tab may have closed, or the store gone, while the tasks were read: start nothing then.
    if (!this.sessions.has(session.uri.toString()) || session.job !== job || this.host.store !== store) return;
    // A restarting allocation (pending again) stays in the view; one that stopped or failed leaves it.
    const running = data.allocations.filter((allocation) => allocation.JobID === job.id && itemNamespace(allocation.Namespace, data.namespace) === job.namespace && allocation.DesiredStatus === 'run' && (allocation.ClientStatus === 'running' || (allocation.ClientStatus === 'pending' && session.streams.has(`${allocation.ID}/${(job.tasks ?? [])[0] ?? allocation.TaskGroup}`))));
    const wanted = new Set<string>();
    for (const allocation of running) {
      for (const task of job.tasks.length ? job.tasks : [allocation.TaskGroup]) {
        const key = `${allocation.ID}/${task}`;
        wanted.add(key);
        if (!session.streams.has(key)) {
          const source = `${allocation.ID.slice(0, 8)} ${task}`;
          if (session.streams.size > 0) session.ring.note(`— ${source} joined`, source);
          this.addStream(session, allocation.ID, task, source);
        }
      }
    }
    for (const [key, stream] of session.streams) {
      if (wanted.has(key)) continue;
      const allocation = data.allocations.find((candidate) => candidate.ID === stream.allocationId);
      stream.tail.stop();
      session.streams.delete(key);
      if (![...session.streams.values()].some((other) => other.allocationId === stream.allocationId)) session.colours.release(stream.allocationId.slice(0, 8));
      session.ring.note(`— ${stream.source} stopped (${allocation ? `${allocation.ClientStatus}${allocation.DesiredStatus !== 'run' ? `, desired ${allocation.DesiredStatus}` : ''}` : 'gone'})`, stream.source);
    }
    if (session.streams.size === 0 && running.length === 0) session.ring.note(`— ${job.id} has no running allocation now; allocations that start will join`);
    this.scheduleRender(session);
  }

  private async tasksOf(jobId: string, namespace: string): Promise<string[]> {
    const definition = await this.host.store?.nomad.readJobDefinition(namespace, jobId).catch(() => undefined);
    return [...new Set((definition?.TaskGroups ?? []).flatMap((group) => (group.Tasks ?? []).map((task) => task.Name)))];
  }

  /** Switches a view between stdout and stderr; an ECS view has one stream (the words why, then). */
  toggleType(uri: vscode.Uri): string | undefined {
    const session = this.sessions.get(uri.toString());
    if (!session) return undefined;
    if (session.ecs) return "an ECS container's stdout and stderr are one CloudWatch Logs stream: filter the view instead";
    session.type = session.type === 'stdout' ? 'stderr' : 'stdout';
    this.restart(session);
  }

  /** Sets a view's filter (text, or /regex/flags); an empty filter shows every line. */
  setFilter(uri: vscode.Uri, filter: string): string | undefined {
    const session = this.sessions.get(uri.toString());
    if (!session) return 'Not a Hashistack log view.';
    const parsed = logFilter(filter);
    if (parsed && typeof parsed !== 'function') return parsed.problem;
    session.filterText = filter.trim();
    this.render(session);
    return undefined;
  }

  filterOf(uri: vscode.Uri): string {
    return this.sessions.get(uri.toString())?.filterText ?? '';
  }

  private scheduleRender(session: Session): void {
    session.renderTimer ??= setTimeout(() => {
      session.renderTimer = undefined;
      this.render(session);
    }, LOG_RENDER_MS);
  }

  private render(session: Session): void {
    session.renderedAt = Date.now();
    this.changed.fire(session.uri);
  }

  private afterRender(document: vscode.TextDocument): void {
    const session = this.sessions.get(document.uri.toString());
    if (!session) return;
    if (session.follow) {
      for (const editor of vscode.window.visibleTextEditors) if (editor.document === document) this.revealEnd(editor);
    }
    session.renderedAt = undefined;
    this.decorateAll();
  }

  /** Whether a view follows its new lines (for the tests). */
  isFollowing(uri: vscode.Uri): boolean {
    return this.sessions.get(uri.toString())?.follow ?? false;
  }

  /** The Follow toggle: following scrolls to the newest line now and with each new one. */
  setFollowing(uri: vscode.Uri, follow: boolean): void {
    const session = this.sessions.get(uri.toString());
    if (!session) return;
    this.setFollow(session, follow);
    if (follow) {
      for (const editor of vscode.window.visibleTextEditors) if (editor.document.uri.toString() === uri.toString()) this.revealEnd(editor);
    }
  }

  /** The timestamps toggle: each line prefixed by the time it arrived. */
  toggleTimes(uri: vscode.Uri): boolean | undefined {
    const session = this.sessions.get(uri.toString());
    if (!session) return undefined;
    session.showTimes = !session.showTimes;
    this.render(session);
    return session.showTimes;
  }

  isLogView(uri: vscode.Uri | undefined): uri is vscode.Uri {
    return uri !== undefined && this.sessions.has(uri.toString());
  }

  private setFollow(session: Session, follow: boolean): void {
    if (session.follow === follow) return;
    session.follow = follow;
    this.updateContext();
  }

  private updateContext(): void {
    const active = vscode.window.activeTextEditor?.document.uri;
    void vscode.commands.executeCommand('setContext', FOLLOWING_CONTEXT, active ? (this.sessions.get(active.toString())?.follow ?? false) : false);
  }

  private revealEnd(editor: vscode.TextEditor): void {
    const last = editor.document.lineCount - 1;
    editor.revealRange(new vscode.Range(last, 0, last, 0), vscode.TextEditorRevealType.Default);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const session = this.sessions.get(uri.toString());
    if (!session) return 'This log view has closed: open it again from the Nomad view.\n';
    const filter = logFilter(session.filterText);
    const accept = typeof filter === 'function' ? filter : () => true;
    const kept = session.ring.snapshot().filter((line) => accept(line.text) || line.note);
    // A job's view merges its allocations by time; one task's view is its stream as it came.
    const lines = session.job || session.ecs || new Set(kept.map((line) => line.source)).size > 1 ? mergeByTime(kept) : kept;
    const order = session.job ? ' · ordered by the time each line states, else by arrival' : '';
    const header = `${session.title} · ${session.ecs ? 'CloudWatch Logs' : session.type}${order}${session.filterText ? ` · filter ${session.filterText}` : ''}${session.ring.dropped ? ` · ${session.ring.dropped} older lines dropped` : ''}`;
    return [header, ...lines.map((line) => renderLine(line, session.showTimes))].join('\n') + '\n';
  }

  /** Colours each prefix by its allocation. */
  private decorateAll(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const session = this.sessions.get(editor.document.uri.toString());
      if (!session) continue;
      const ranges: vscode.Range[][] = PREFIX_COLOURS.map(() => []);
      const skip = session.showTimes ? ARRIVAL_TIME_CHARS : 0;
      for (let line = 1; line < editor.document.lineCount; line++) {
        const text = editor.document.lineAt(line).text;
        const bar = text.indexOf(' │ ');
        if (bar <= skip) continue;
        const allocation = text.slice(skip, bar).split(' ')[0]!;
        ranges[session.colours.slotOf(allocation)]!.push(new vscode.Range(line, skip, line, bar));
      }
      this.decorations.forEach((decoration, index) => editor.setDecorations(decoration, ranges[index]!));
    }
  }

  /** Stops every stream of every view, each saying why; the views stay open with what they showed. */
  private endAll(why: string): void {
    for (const session of this.sessions.values()) {
      if (session.streams.size === 0 && !session.job) continue;
      for (const stream of session.streams.values()) stream.tail.stop();
      session.streams.clear();
      session.job?.subscription?.dispose();
      session.demand?.dispose();
      session.demand = undefined;
      if (session.job) session.job.subscription = undefined;
      // A job's view no longer takes new allocations: they would be another cluster's.
      session.job = undefined;
      session.single = undefined;
      session.ecs = undefined;
      session.ring.note(why);
      this.scheduleRender(session);
    }
  }

  private close(key: string): void {
    const session = this.sessions.get(key);
    if (!session) return;
    for (const stream of session.streams.values()) stream.tail.stop();
    session.streams.clear();
    session.job?.subscription?.dispose();
    session.demand?.dispose();
    clearTimeout(session.renderTimer);
    this.sessions.delete(key);
  }

  dispose(): void {
    for (const key of [...this.sessions.keys()]) this.close(key);
    this.decorations.forEach((decoration) => decoration.dispose());
    this.changed.dispose();
    this.subscriptions.forEach((subscription) => subscription.dispose());
  }
}

/** `10:43:43.123 `: the width of the arrival time written before a line when timestamps are on. */
const ARRIVAL_TIME_CHARS = 13;

function renderLine(line: LogLine, showTimes: boolean): string {
  const text = line.source ? `${line.source} │ ${line.text}` : line.text;
  if (!showTimes) return text;
  const at = new Date(line.arrivedAt ?? Date.now());
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)} ${text}`;
}
