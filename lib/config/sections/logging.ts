import { z } from 'zod';
import { defaultText, PROFILE_DEFAULTS } from '../profile-defaults';
import { byProfile, type ResolveContext } from './context';

/** The `logging` section: the Log Analytics workspace and Application Insights. */
export const loggingSchema = z.strictObject({
  retentionDays: z
    .number()
    .int()
    .min(30)
    .max(730)
    .optional()
    .describe(defaultText(PROFILE_DEFAULTS.logRetentionDays)),
  dailyQuotaGb: z.number().positive().optional(),
});

/** The logging section, with every default filled in. */
export interface LoggingConfig {
  /** Days Log Analytics and Application Insights keep logs. */
  readonly retentionDays: number;
  /** Daily ingestion cap in GB; undefined: no cap. */
  readonly dailyQuotaGb?: number;
}

/** Fills in the logging defaults: the profile's retention (`PROFILE_DEFAULTS.logRetentionDays`), no cap. */
export function resolveLogging(
  raw: z.infer<typeof loggingSchema> | undefined,
  ctx: ResolveContext,
): LoggingConfig {
  return {
    retentionDays: raw?.retentionDays ?? byProfile(ctx, 'logRetentionDays'),
    dailyQuotaGb: raw?.dailyQuotaGb,
  };
}
