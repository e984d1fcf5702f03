/** What section resolvers know about the environment being resolved. */
export interface ResolveContext {
  /** Environment name, e.g. `prod`. */
  readonly name: string;
  /** `production` environments get the protected, zone-redundant, private defaults. */
  readonly profile: 'development' | 'production';
  readonly networkMode: 'public' | 'private';
}

/** The environment profiles. */
export const PROFILES = ['development', 'production'] as const;
export type Profile = (typeof PROFILES)[number];

/** Picks the development or production default. */
export function byProfile<T>(ctx: ResolveContext, development: T, production: T): T {
  return ctx.profile === 'production' ? production : development;
}
