// `zdprobe lint`: run the rules on manifest files, stdin, or a live namespace; print findings.
import { Option, type Command } from 'commander';
import { usage, ZdError } from '../errors.js';
import type { FindingsFormat } from '../report/findings.js';
import type { SourcedObject } from '../types.js';

interface LintOptions {
  format: FindingsFormat;
  fromCluster?: boolean;
  namespace?: string;
  kubeconfig?: string;
  context?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

async function loadInput(paths: string[], opts: LintOptions): Promise<SourcedObject[]> {
  if (opts.fromCluster) {
    if (paths.length > 0) throw usage('lint: give files or --from-cluster, not both');
    const { loadClusterObjects } = await import('../analyze/load-manifests.js');
    return loadClusterObjects({ namespace: opts.namespace, kubeconfig: opts.kubeconfig, context: opts.context });
  }
  if (paths.length === 0) throw usage('lint: give files or directories (- for stdin), or --from-cluster -n NAMESPACE');
  if (opts.namespace || opts.kubeconfig || opts.context) throw usage('lint: -n, --kubeconfig and --context need --from-cluster');
  const { loadManifests } = await import('../analyze/load-manifests.js');
  const objects = await loadManifests(paths, readStdin);
  // "No findings." for input that held nothing to check would read as a pass.
  if (!objects.length) throw new ZdError('input', `lint: no Kubernetes objects in ${paths.join(', ')} (a manifest needs a kind:; directories are searched for *.yaml, *.yml and *.json)`);
  return objects;
}

export function registerLint(program: Command): void {
  program.command('lint')
    .description('Predict dropped requests from manifests, before the deploy (rules: docs/lint.md).')
    .argument('[paths...]', 'manifest files or directories (*.yaml, *.yml, *.json, recursively); - reads stdin')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'sarif']).default('table'))
    .option('--from-cluster', 'lint the live objects of one namespace instead of files')
    .option('-n, --namespace <ns>', 'namespace for --from-cluster (default: the context\'s, else "default")')
    .option('--kubeconfig <file>', 'kubeconfig for --from-cluster (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context for --from-cluster')
    .addHelpText('after', '\nExit: 0 no error-level finding, 1 some error-level finding, 2 bad usage or unreadable input, 3 cluster unreachable.')
    .action(async (paths: string[], opts: LintOptions) => {
      // Loaded here: the rules and the manifest reader are not needed to start the CLI.
      const [{ RULES, runRules }, { renderFindings }] = await Promise.all([import('../analyze/rules/index.js'), import('../report/findings.js')]);
      const findings = runRules(await loadInput(paths, opts));
      process.stdout.write(renderFindings(findings, opts.format, RULES));
      process.exitCode = findings.some((f) => f.severity === 'error') ? 1 : 0;
    });
}
