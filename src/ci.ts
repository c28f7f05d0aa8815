import { UsageError } from './errors.js';
import { renderFolder, type RenderedFile } from './render.js';
import type { CiSummary, StackContext } from './stacks/types.js';

/**
 * `--ci github|gitlab|none`: whether the project gets a docker-bake.hcl and a
 * CI workflow that tests, then bakes and pushes the production images. The
 * files are templates under templates/shared/ci; this module decides which
 * are rendered and gives them what every stack shares (the bake targets).
 */
export const CI_PROVIDERS = ['github', 'gitlab', 'none'] as const;
export type CiProvider = (typeof CI_PROVIDERS)[number];

/** The files each provider writes besides docker-bake.hcl (for messages and tests). */
export const CI_WORKFLOW_FILES: Record<Exclude<CiProvider, 'none'>, string> = {
  github: '.github/workflows/docker.yml',
  gitlab: '.gitlab-ci.yml',
};

export function parseCiProvider(raw: string): CiProvider {
  const value = raw.trim().toLowerCase();
  if ((CI_PROVIDERS as readonly string[]).includes(value)) return value as CiProvider;
  throw new UsageError(`--ci must be one of ${CI_PROVIDERS.join(', ')} (got "${raw}").`);
}

/** The platforms a stack builds in CI without emulation: both when it cross-compiles, the runner's otherwise. */
const NATIVE_PLATFORM = 'linux/amd64';
const CROSS_PLATFORMS = ['linux/amd64', 'linux/arm64'];

interface BakeTarget {
  /** Bake target and Dockerfile stage name. */
  stage: string;
  /** Image name (without registry or tag). */
  image: string;
  production: boolean;
}

/** The template context of the CI files: the stack's context plus the bake targets. */
export function ciContext(ctx: StackContext, provider: Exclude<CiProvider, 'none'>) {
  const production: BakeTarget[] = [
    { stage: 'production', image: ctx.name, production: true },
    ...ctx.extraTargets.map((stage) => ({ stage, image: `${ctx.name}-${stage.replace(/^production-/, '')}`, production: true })),
  ];
  // Several platforms only where every RUN step cross-compiles; a runtime stage that runs apt would need emulation.
  const platforms = ctx.crossCompile === true && ctx.emulatedRuntimeSteps !== true ? CROSS_PLATFORMS : [NATIVE_PLATFORM];
  return {
    ...ctx,
    ci: provider,
    productionTargets: production,
    productionStages: production.map((t) => t.stage),
    hasTests: ctx.hasTests === true,
    platforms: platforms.join(','),
    multiPlatform: platforms.length > 1,
    // Next.js builds for the target platform: other platforms run under emulation (see README.Docker.md).
    emulationNote: ctx.stack === 'nextjs',
  };
}

const TITLES: Record<Exclude<CiProvider, 'none'>, { title: string; registry: string }> = {
  github: { title: 'GitHub Actions', registry: "ghcr.io under the repository's owner" },
  gitlab: { title: 'GitLab CI/CD', registry: "the project's container registry" },
};

/** What README.Docker.md's CI section says (the `ci` key of the template context); undefined for `none`. */
export function ciSummary(ctx: StackContext, provider: CiProvider): CiSummary | undefined {
  if (provider === 'none') return undefined;
  const context = ciContext(ctx, provider);
  return {
    provider,
    ...TITLES[provider],
    workflowFile: CI_WORKFLOW_FILES[provider],
    targets: context.productionStages,
    platforms: context.platforms,
    multiPlatform: context.multiPlatform,
  };
}

/** docker-bake.hcl and the provider's workflow, or nothing for `none`. */
export function renderCiFiles(ctx: StackContext, provider: CiProvider): RenderedFile[] {
  if (provider === 'none') return [];
  const context = ciContext(ctx, provider);
  return [...renderFolder('shared/ci/bake', { stackDir: '', kind: 'docker', context }), ...renderFolder(`shared/ci/${provider}`, { stackDir: '', kind: 'docker', context })];
}
