import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EXEC_COMMAND, execArguments } from '../../src/core/deploy/execCommand';
import { buildDeployCommand, CLUSTER_ENVIRONMENT_VARIABLES, DEFAULT_ECS_COMMAND, DEFAULT_NOMAD_COMMAND, deployEnvironment, missingProgramAdvice, processEnvironment, setVariables, taskEnvironment } from '../../src/core/deploy/deployCommand';
import { quotingMode, quotingOptions, shellArguments, shellKind, ShellKind, unsafeArgumentReason, vscodeCommandLine } from '../../src/core/deploy/shellQuoting';
import { environmentProfile, resolveProfiles } from '../../src/core/profiles/clusterProfile';
import { HOSTILE_NAMES } from '../support/hostileNames';


describe('deploy commands', () => {
  const profile = environmentProfile({ NOMAD_ADDR: 'https://nomad.example:4646', NOMAD_TOKEN: 'secret-n', CONSUL_HTTP_TOKEN: 'secret-c', NOMAD_NAMESPACE: 'apps', NOMAD_CACERT: '/ca.pem' });

  it('defaults to nomad job run|plan <file>', () => {
    const target = { kind: 'nomadJob' as const, file: '/ws/platform/nomad/whoami.nomad', jobId: 'whoami' };
    const deploy = buildDeployCommand(target, 'deploy', DEFAULT_NOMAD_COMMAND, profile, '/ws');
    assert.deepEqual([deploy.command, ...deploy.args], ['nomad', 'job', 'run', '/ws/platform/nomad/whoami.nomad']);
    assert.equal(deploy.cwd, '/ws');
    assert.equal(deploy.label, 'Deploy whoami on "Environment" (nomad job run)', 'the terminal tab names the cluster');
    const plan = buildDeployCommand(target, 'plan', DEFAULT_NOMAD_COMMAND, profile, '/ws');
    assert.deepEqual(plan.args, ['job', 'plan', '/ws/platform/nomad/whoami.nomad']);
  });

  it('runs what was planned: the default deploy checks the plan\'s JobModifyIndex, a custom one gets ${checkIndex}', () => {
    const target = { kind: 'nomadJob' as const, file: '/ws/whoami.nomad', jobId: 'whoami' };
    assert.deepEqual(buildDeployCommand(target, 'deploy', DEFAULT_NOMAD_COMMAND, profile, '/ws', 42).args, ['job', 'run', '-check-index', '42', '/ws/whoami.nomad']);
    assert.deepEqual(buildDeployCommand(target, 'deploy', DEFAULT_NOMAD_COMMAND, profile, '/ws', 0).args, ['job', 'run', '-check-index', '0', '/ws/whoami.nomad'], 'index 0: register only if the job does not exist');
    assert.deepEqual(buildDeployCommand(target, 'plan', DEFAULT_NOMAD_COMMAND, profile, '/ws', 42).args, ['job', 'plan', '/ws/whoami.nomad'], 'a plan is not checked');
    const custom = ['./deploy.sh', '--index=${checkIndex}', '${file}'];
    assert.deepEqual(buildDeployCommand(target, 'deploy', custom, profile, '/ws', 7).args, ['--index=7', '/ws/whoami.nomad']);
    assert.deepEqual(buildDeployCommand(target, 'deploy', custom, profile, '/ws').args, ['--index=', '/ws/whoami.nomad'], 'no plan: an empty index');
  });

  it('opens a shell in a task with nomad alloc exec, the command inside as its own arguments', () => {
    assert.deepEqual(execArguments('a8198d79-cfdb-6593-a999-1e9adabcba2e', 'redis', DEFAULT_EXEC_COMMAND), ['alloc', 'exec', '-i', '-t', '-task', 'redis', 'a8198d79-cfdb-6593-a999-1e9adabcba2e', '/bin/sh']);
    assert.deepEqual(execArguments('a1', "it's; $(id)", ['/bin/bash', '-l']).slice(4), ['-task', "it's; $(id)", 'a1', '/bin/bash', '-l'], 'a task name reaches nomad as one argument');
    assert.throws(() => execArguments('a1', 't', []), /hashistack\.exec\.command" is empty/);
  });

  it('defaults to terraform -chdir=<dir> apply|plan -target=<address> for ECS', () => {
    const target = { kind: 'ecs' as const, file: '/ws/platform/terraform/ecs-gallery.tf', address: 'module.gallery_ecs' };
    const apply = buildDeployCommand(target, 'deploy', DEFAULT_ECS_COMMAND, profile, '/ws');
    assert.deepEqual([apply.command, ...apply.args], ['terraform', '-chdir=/ws/platform/terraform', 'apply', '-target=module.gallery_ecs']);
    assert.deepEqual(buildDeployCommand(target, 'plan', DEFAULT_ECS_COMMAND, profile, '/ws').args[1], 'plan');
  });

  it("fills a workspace's own deploy script, one argument per placeholder", () => {
    const target = { kind: 'nomadJob' as const, file: '/ws/a b/x.nomad', jobId: 'x' };
    const command = buildDeployCommand(target, 'plan', ['${workspaceFolder}/platform/scripts/deploy-nomad.sh', '--${action}', '${file}', '--profile=${profile}'], profile, '/ws');
    assert.deepEqual([command.command, ...command.args], ['/ws/platform/scripts/deploy-nomad.sh', '--plan', '/ws/a b/x.nomad', '--profile=Environment']);
    assert.throws(() => buildDeployCommand(target, 'plan', ['x', '${nope}'], profile, '/ws'), /Unknown placeholder \$\{nope\}/);
    assert.throws(() => buildDeployCommand(target, 'plan', [], profile, '/ws'), /setting is empty/);
  });

  it("passes the profile's addresses and tokens in the environment, never as arguments", () => {
    const env = deployEnvironment(profile, {});
    assert.deepEqual(setVariables(env), {
      NOMAD_ADDR: 'https://nomad.example:4646',
      CONSUL_HTTP_ADDR: 'http://127.0.0.1:8500',
      NOMAD_NAMESPACE: 'apps',
      NOMAD_CACERT: '/ca.pem',
      NOMAD_TOKEN: 'secret-n',
      CONSUL_HTTP_TOKEN: 'secret-c',
    });
    assert.equal(deployEnvironment(profile, { nomad: 'from-keychain' }).NOMAD_TOKEN, 'from-keychain');
    const all = resolveProfiles([{ name: 'p', nomadNamespace: '*' }], {}).profiles[0]!;
    assert.equal(deployEnvironment(all, {}).NOMAD_NAMESPACE, null, '"*" is not a namespace to submit into');
    const command = buildDeployCommand({ kind: 'nomadJob', file: '/f.nomad', jobId: 'j' }, 'deploy', DEFAULT_NOMAD_COMMAND, profile, '/');
    assert.ok(![command.command, ...command.args].some((arg) => arg.includes('secret')));
  });

  it("never lets VS Code's own cluster variables through to a process started for another profile", () => {
    // VS Code launched from a shell logged in to prod; the active profile is staging, with no token stored.
    const inherited = { PATH: '/usr/bin', HOME: '/home/op', NOMAD_TOKEN: 'prod-secret', CONSUL_HTTP_TOKEN: 'prod-consul', NOMAD_CACERT: '/prod-ca.pem', NOMAD_CLIENT_CERT: '/prod.pem', NOMAD_CLIENT_KEY: '/prod-key.pem', NOMAD_HTTP_AUTH: 'ops:pw', CONSUL_HTTP_AUTH: 'ops:pw', NOMAD_NAMESPACE: 'prod', NOMAD_REGION: 'eu', CONSUL_NAMESPACE: 'prod', CONSUL_HTTP_TOKEN_FILE: '/prod-token', NOMAD_SKIP_VERIFY: 'true' };
    const staging = resolveProfiles([{ name: 'staging', nomadAddress: 'https://nomad.staging:4646', consulAddress: 'https://consul.staging:8501' }], inherited).profiles[0]!;
    const env = deployEnvironment(staging, {});
    for (const name of CLUSTER_ENVIRONMENT_VARIABLES) assert.ok(name in env, `${name} is decided for the process`);
    const spawned = processEnvironment(inherited, env, 'linux');
    assert.deepEqual(spawned, { PATH: '/usr/bin', HOME: '/home/op', NOMAD_ADDR: 'https://nomad.staging:4646', CONSUL_HTTP_ADDR: 'https://consul.staging:8501', NOMAD_NAMESPACE: 'default' });
    const task = taskEnvironment(env);
    assert.equal(task.NOMAD_TOKEN, '', 'a task gets it empty, which the CLIs read as unset');
    assert.ok(Object.values(task).every((value) => !value.includes('prod')));
    // Windows names are not case-sensitive: an inherited Nomad_Token goes too.
    assert.deepEqual(processEnvironment({ Path: 'C:\\bin', Nomad_Token: 'prod-secret' }, { NOMAD_TOKEN: null, NOMAD_ADDR: 'https://n' }, 'win32'), { Path: 'C:\\bin', NOMAD_ADDR: 'https://n' });
    // The profile's own token (from the keychain) is the one that goes.
    assert.equal(processEnvironment(inherited, deployEnvironment(staging, { nomad: 'staging-secret' }), 'linux').NOMAD_TOKEN, 'staging-secret');
  });

  it('tells what to install when the CLI is missing', () => {
    assert.match(missingProgramAdvice('nomad'), /install it .*or set "hashistack\.deploy\.nomadCommand"/);
    assert.match(missingProgramAdvice('/usr/local/bin/terraform'), /Terraform not found/);
  });
});

describe('shell quoting of deploy arguments (VS Code builds the line; these are its rules)', function () {
  this.timeout(30_000);
  const dir = mkdtempSync(join(tmpdir(), 'hashistack-quoting-'));
  const recorder = join(dir, 'record args');
  const output = join(dir, 'argv.json');
  writeFileSync(recorder, `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(output)}, JSON.stringify(process.argv.slice(2)));\n`);
  chmodSync(recorder, 0o755);

  it('knows the shell from its path', () => {
    assert.equal(shellKind('/bin/bash', 'linux'), 'bash');
    assert.equal(shellKind('/usr/bin/zsh', 'darwin'), 'zsh');
    assert.equal(shellKind('/usr/local/bin/fish', 'linux'), 'fish');
    assert.equal(shellKind('C:\\Program Files\\PowerShell\\7\\pwsh.exe', 'win32'), 'pwsh');
    assert.equal(shellKind('C:\\Windows\\System32\\cmd.exe', 'win32'), 'cmd');
    assert.equal(shellKind(undefined, 'win32'), 'pwsh');
    assert.equal(shellKind(undefined, 'linux'), 'bash');
  });

  const shells: [ShellKind, string][] = [
    ['bash', '/bin/bash'],
    ['zsh', '/usr/bin/zsh'],
    ['sh', '/bin/sh'],
    ['fish', '/usr/bin/fish'],
  ];
  for (const [kind, path] of shells) {
    it(`${kind}: every hostile name reaches the program as one argument, unchanged`, () => {
      const line = vscodeCommandLine(kind, quotingOptions(kind), quotingMode(kind), recorder, ['job', 'run', ...HOSTILE_NAMES]);
      // The environment has HOME and PATH set, so an expansion would show in the result.
      execFileSync(path, [...shellArguments(kind), line], { env: { ...process.env, HOME: '/home/expanded', PATH: process.env.PATH } });
      assert.deepEqual(JSON.parse(readFileSync(output, 'utf8')), ['job', 'run', ...HOSTILE_NAMES]);
    });
  }

  it('PowerShell: escapes with the backtick, and calls a quoted program with &', () => {
    const line = vscodeCommandLine('pwsh', quotingOptions('pwsh'), quotingMode('pwsh'), 'nomad', ['job', 'run', "it's $HOME;`x`"]);
    assert.equal(line, "& nomad job run it`'s` `$HOME`;``x``");
  });

  it('cmd: strong double quotes, and values cmd cannot carry are refused with a reason', () => {
    const line = vscodeCommandLine('cmd', quotingOptions('cmd'), quotingMode('cmd'), 'nomad', ['job', 'run', 'C:\\my jobs\\a&b.nomad']);
    assert.equal(line, '""nomad" "job" "run" "C:\\my jobs\\a&b.nomad""');
    assert.match(unsafeArgumentReason('cmd', 'say "hi".nomad')!, /cmd\.exe cannot pass/);
    assert.match(unsafeArgumentReason('cmd', '%PATH%.nomad')!, /cmd\.exe cannot pass/);
    assert.equal(unsafeArgumentReason('cmd', 'a&b|c.nomad'), undefined);
  });

  it('refuses line breaks and control characters in every shell', () => {
    for (const kind of ['bash', 'zsh', 'sh', 'fish', 'pwsh', 'cmd'] as const) {
      assert.match(unsafeArgumentReason(kind, 'a\nb')!, /line break/);
      assert.match(unsafeArgumentReason(kind, 'a\u0007b')!, /control character/);
    }
    for (const name of HOSTILE_NAMES) {
      assert.equal(unsafeArgumentReason('bash', name), undefined, name);
    }
  });
});
