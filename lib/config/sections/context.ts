import { type ProfileDefaults, profileDefault } from '../profile-defaults';

/** What section resolvers know about the environment being resolved. */
export interface ResolveContext {
  /** Environment name, e.g. `prod`. */
  readonly name: string;
  /** `production` environments get the protected, zone-redundant, private defaults. */
  readonly profile: 'development' | 'production';
  /** The cloud the environment renders on (`cloud`, default azure). */
  readonly cloud: 'azure' | 'aws';
  /** The environment's region (Azure `location` or `aws.region`). */
  readonly region: string;
  readonly networkMode: 'public' | 'private';
}

/** The environment profiles. */
export const PROFILES = ['development', 'production'] as const;
export type Profile = (typeof PROFILES)[number];

/** The profile of an environment that names none. */
export const DEFAULT_PROFILE: Profile = 'production';

/** The environment's value of a profile default (`lib/config/profile-defaults.ts`). */
export function byProfile<K extends keyof ProfileDefaults>(
  ctx: ResolveContext,
  name: K,
): ProfileDefaults[K]['development'] {
  return profileDefault(ctx.profile, name);
}
