// Activation and wiring only: every feature lives in views/, commands/ or the pure core.
import * as vscode from 'vscode';
import { registerClearTokens } from './commands/clearTokens';
import { CommandContext } from './commands/commandContext';
import { registerConfigureClusters } from './commands/configureClusters';
import { registerAddCluster } from './commands/addCluster';
import { registerCopyCommands } from './commands/copyToClipboard';
import { registerOpenInBrowser } from './commands/openInBrowser';
import { registerOpenJobspec } from './commands/openJobspec';
import { registerRefreshCommands } from './commands/refresh';
import { registerRetrySection } from './commands/retrySection';
import { registerSelectCluster } from './commands/selectCluster';
import { registerSetTokenCommands } from './commands/setToken';
import { registerShowLog } from './commands/showLog';
import { registerBumpImage } from './commands/bumpImage';
import { registerRestoreRunningTag } from './commands/restoreRunningTag';
import { registerAttachElasticIps } from './commands/attachElasticIps';
import { registerEcsServiceCommands } from './commands/ecsService';
import { registerDeployPicker } from './commands/deployPicker';
import { registerDeployTargetCommands } from './commands/deployTarget';
import { DeployRunner } from './services/deployRunner';
import { JobspecIndex } from './services/jobspecIndex';
import { JobspecCodeLensProvider } from './views/jobspecCodeLens';
import { ProfileStore } from './services/profileStore';
import { LAUNCHER_VIEW_ID, LauncherController } from './views/launcherView';
import { TokenStore } from './services/tokenStore';
import { ClusterExplorer } from './views/clusterExplorer';
import { ClusterStoreHost } from './services/clusterStoreHost';
import type { AwsModules } from './core/aws/awsCluster';
import { ClusterStatusBar } from './views/statusBar';
import { TokenExpiryWatch } from './views/tokenExpiry';
import { PlanDocuments } from './views/planDocuments';
import { ClusterFailureDiagnostics } from './views/clusterFailureDiagnostics';
import { RolloutTimelines } from './views/rolloutTimelines';
import { registerOpenRolloutTimeline } from './commands/openRolloutTimeline';
import { openWalkthroughOnFirstStart } from './services/firstStart';
import { RolloutFollower } from './services/rolloutFollower';
import { JobDeploys } from './services/jobDeploys';
import { registerPromoteDeployment } from './commands/promoteDeployment';
import { registerFailDeployment } from './commands/failDeployment';
import { registerRevertJob } from './commands/revertJob';
import { registerRestartAllocation } from './commands/restartAllocation';
import { registerStopAllocation } from './commands/stopAllocation';
import { registerStopJob } from './commands/stopJob';
import { registerScaleTaskGroup } from './commands/scaleTaskGroup';
import { registerForcePeriodicJob } from './commands/forcePeriodicJob';
import { registerDispatchJob } from './commands/dispatchJob';
import { registerShowVersionDiff } from './commands/showVersionDiff';
import { registerShowLogs } from './commands/showLogs';
import { registerShowEcsLogs } from './commands/showEcsLogs';
import { registerShowJobLogs } from './commands/showJobLogs';
import { registerToggleLogStream } from './commands/toggleLogStream';
import { registerFilterLogs } from './commands/filterLogs';
import { registerFollowLog } from './commands/followLog';
import { registerToggleLogTimes } from './commands/toggleLogTimes';
import { registerSaveLog } from './commands/saveLog';
import { registerOpenShell } from './commands/openShell';
import { LogViews } from './views/logViews';
import { JobspecLanguageFeatures } from './views/jobspecLanguage';
import { JobspecDiagnostics } from './views/jobspecDiagnostics';
import { JobspecHover } from './views/jobspecHover';
import { EcrTags } from './services/ecrTags';
import { registerRevealAllocation, registerRevealEvaluation } from './commands/revealAllocation';
import { registerRevealRouteAllocations } from './commands/revealRouteAllocations';
import { registerRevealConsulInstances } from './commands/revealConsulInstances';
import { registerRevealServerInstance } from './commands/revealServerInstance';
import { VARIABLE_SCHEME, VariableDocuments } from './views/variableDocuments';
import { KV_SCHEME, KvDocuments } from './views/kvDocuments';
import { registerVariableCommands } from './commands/variableCommands';
import { registerKvCommands } from './commands/kvCommands';
import { TemplateLanguageFeatures } from './views/templateLanguage';
import { TEMPLATE_PREVIEW_SCHEME, TemplatePreviews } from './views/templatePreviews';
import { registerPreviewTemplate } from './commands/previewTemplate';
import { ALLOCATION_FILES_SCHEME, AllocationFiles } from './views/allocationFiles';
import { registerAllocationFileCommands } from './commands/browseAllocationFiles';
import { registerCompareWithWorkspace } from './commands/compareWithWorkspace';
import { PortForwards } from './services/portForwards';
import { registerForwardPortCommands } from './commands/forwardPort';
import { ActionRuns } from './services/actionRuns';
import { registerRunAction } from './commands/runAction';
import { registerAwsSessionCommands } from './commands/awsSessions';

/** What the extension offers other extensions (and its own tests in the extension host). */
export interface HashistackApi {
  explorer: ClusterExplorer;
  store: ClusterStoreHost;
  profiles: ProfileStore;
  jobspecs: JobspecIndex;
  launcher: LauncherController;
  follower: RolloutFollower;
  deployRunner: DeployRunner;
  logs: LogViews;
  diagnostics: JobspecDiagnostics;
  planDocuments: PlanDocuments;
  failures: ClusterFailureDiagnostics;
  timelines: RolloutTimelines;
  variables: VariableDocuments;
  kv: KvDocuments;
  templates: TemplateLanguageFeatures;
  templatePreviews: TemplatePreviews;
  allocationFiles: AllocationFiles;
  forwards: PortForwards;
  actions: ActionRuns;
  expiry: TokenExpiryWatch;
  statusBar: ClusterStatusBar;
  tokens: TokenStore;
}

/**
 * Returns the extension's parts only to its own tests (the extension host runs them in Test mode): any other
 * extension would otherwise get the store host, and through it live clients and their token headers.
 */
export function activate(context: vscode.ExtensionContext): HashistackApi | undefined {
  const log = vscode.window.createOutputChannel('Hashistack', { log: true });
  const profiles = new ProfileStore(context.globalState, log);
  const tokens = new TokenStore(context.secrets);
  const statusBar = new ClusterStatusBar();
  // The AWS SDK lives in dist/aws-sdk.js, required only when a profile's AWS section is first shown.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a file of the extension, by path, at run time
  const importAwsSdk = async (): Promise<AwsModules> => require(vscode.Uri.joinPath(context.extensionUri, 'dist', 'aws-sdk.js').fsPath) as AwsModules;
  const store = new ClusterStoreHost(profiles, tokens, log, importAwsSdk);
  const forwards = new PortForwards(store, log);
  const actions = new ActionRuns(store, log);
  const expiry = new TokenExpiryWatch(store, statusBar);
  const explorer = new ClusterExplorer(store, statusBar, forwards);
  const commandContext: CommandContext = { explorer, store, profiles, tokens, log };
  // The tree-sitter .wasm files ship next to the bundle.
  const jobspecs = new JobspecIndex(vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath);
  const deployRunner = new DeployRunner(profiles, tokens, log);
  const planDocuments = new PlanDocuments(store);
  const follower = new RolloutFollower(store, log, (allocationId) => explorer.revealNomadAllocation(allocationId));
  const failures = new ClusterFailureDiagnostics(store, jobspecs, log);
  const timelines = new RolloutTimelines(store, failures);
  const deploys = new JobDeploys(deployRunner, store, planDocuments, follower, log, jobspecs, failures);
  const logViews = new LogViews(store, log);
  const diagnostics = new JobspecDiagnostics(jobspecs, store, log);
  const ecrTags = new EcrTags(store, log);
  const codeLens = new JobspecCodeLensProvider(jobspecs, store, ecrTags);
  const launcher = new LauncherController(context.extensionUri, store, explorer, log);
  const variables = new VariableDocuments(VARIABLE_SCHEME, store, log);
  const kv = new KvDocuments(KV_SCHEME, store, log);
  const templates = new TemplateLanguageFeatures(jobspecs, store, variables, kv, log);
  const templatePreviews = new TemplatePreviews(jobspecs, store, log);
  const allocationFiles = new AllocationFiles(store, log);

  context.subscriptions.push(
    log,
    profiles,
    tokens,
    statusBar,
    explorer,
    store,
    ...registerRefreshCommands(commandContext),
    registerRetrySection(commandContext),
    registerSelectCluster(commandContext),
    registerConfigureClusters(),
    registerAddCluster(commandContext),
    ...registerSetTokenCommands(commandContext),
    registerClearTokens(commandContext),
    registerShowLog(commandContext),
    ...registerCopyCommands(),
    registerOpenInBrowser(),
    registerOpenJobspec(),
    jobspecs,
    ...new JobspecLanguageFeatures(jobspecs).register(),
    diagnostics,
    failures,
    timelines,
    registerOpenRolloutTimeline(timelines),
    vscode.languages.registerHoverProvider([{ language: 'nomad' }, { scheme: 'file', pattern: '**/ecs-*.tf' }], new JobspecHover(jobspecs, store, ecrTags)),
    deployRunner,
    codeLens,
    vscode.languages.registerCodeLensProvider([{ scheme: 'file', pattern: '**/*.{nomad,nomad.hcl}' }, { scheme: 'file', pattern: '**/ecs-*.tf' }, { scheme: 'untitled', pattern: '**/*.nomad' }], codeLens),
    ecrTags,
    registerBumpImage(jobspecs, ecrTags),
    registerRestoreRunningTag(store, jobspecs),
    planDocuments,
    follower,
    ...registerDeployTargetCommands(deployRunner, deploys, jobspecs, store, log),
    registerPromoteDeployment(store, log),
    registerFailDeployment(store, log),
    registerRevertJob(store, follower, log),
    registerRestartAllocation(store, log),
    registerStopAllocation(store, log),
    registerStopJob(store, log),
    registerScaleTaskGroup(store, log),
    registerForcePeriodicJob(store, log),
    registerDispatchJob(store, log),
    registerShowVersionDiff(store, planDocuments),
    logViews,
    registerShowLogs(store, logViews),
    registerShowEcsLogs(store, logViews),
    registerShowJobLogs(store, logViews),
    registerToggleLogStream(logViews),
    registerFilterLogs(logViews),
    registerFollowLog(logViews),
    registerToggleLogTimes(logViews),
    registerSaveLog(),
    registerOpenShell(store, tokens, log),
    registerRevealAllocation(explorer),
    registerRevealEvaluation(explorer),
    registerRevealRouteAllocations(store, explorer),
    registerRevealConsulInstances(store, explorer),
    registerRevealServerInstance(explorer),
    ...registerEcsServiceCommands(commandContext, jobspecs, deployRunner),
    registerDeployPicker(jobspecs, store),
    registerAttachElasticIps(commandContext),
    launcher,
    vscode.window.registerWebviewViewProvider(LAUNCHER_VIEW_ID, launcher, { webviewOptions: { retainContextWhenHidden: false } }),
    vscode.commands.registerCommand('hashistack.openLauncher', () => launcher.openPanel()),
    variables,
    kv,
    vscode.workspace.registerFileSystemProvider(VARIABLE_SCHEME, variables, { isCaseSensitive: true }),
    vscode.workspace.registerFileSystemProvider(KV_SCHEME, kv, { isCaseSensitive: true }),
    registerVariableCommands(store, variables, log),
    registerKvCommands(store, kv, log),
    templates,
    templatePreviews,
    vscode.workspace.registerTextDocumentContentProvider(TEMPLATE_PREVIEW_SCHEME, templatePreviews),
    registerPreviewTemplate(templatePreviews),
    allocationFiles,
    vscode.workspace.registerFileSystemProvider(ALLOCATION_FILES_SCHEME, allocationFiles, { isCaseSensitive: true, isReadonly: new vscode.MarkdownString("An allocation's files are read-only: change the jobspec and deploy.") }),
    registerAllocationFileCommands(store, allocationFiles),
    registerCompareWithWorkspace(store, templatePreviews),
    forwards,
    registerForwardPortCommands(store, forwards),
    actions,
    registerRunAction(store, actions),
    registerAwsSessionCommands(store, log),
    expiry,
  );
  log.info(`Hashistack active; cluster "${profiles.active.name}" (Nomad ${profiles.active.nomad.address}, Consul ${profiles.active.consul.address}, Traefik ${profiles.active.traefik.address})`);
  if (context.extensionMode !== vscode.ExtensionMode.Test) {
    void openWalkthroughOnFirstStart(context.globalState, log);
    return undefined;
  }
  return { explorer, store, profiles, jobspecs, launcher, follower, deployRunner, logs: logViews, diagnostics, planDocuments, failures, timelines, variables, kv, templates, templatePreviews, allocationFiles, forwards, actions, expiry, statusBar, tokens };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
