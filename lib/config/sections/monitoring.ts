import { z } from 'zod';
import { byProfile, type ResolveContext } from './context';

export const monitoringSchema = z
  .strictObject({
    actionGroups: z
      .record(
        z.string(),
        z.strictObject({
          shortName: z.string().max(12, { error: (iss) => `${JSON.stringify(iss.input)} is longer than 12 characters (Azure's limit for action group short names)` }).optional(),
          emails: z.array(z.email()).optional(),
          webhooks: z.array(z.url({ protocol: /^https$/ })).optional(),
        }),
      )
      .optional()
      .describe('Action groups keyed by name; every alert routes to `defaultActionGroup`.'),
    defaultActionGroup: z.string().optional(),
    alerts: z
      .record(
        z.string(),
        z.strictObject({
          threshold: z.number().optional(),
          severity: z.number().int().min(0).max(4).optional(),
          enabled: z.boolean().optional(),
        }),
      )
      .optional()
      .describe('Overrides of baseline alerts by key (see docs/alerts.md).'),
    tokenBudgetPerHour: z.number().int().positive().optional().describe('Tokens per hour before the token-consumption alert fires.'),
    quality: z
      .strictObject({
        windowHours: z.number().int().min(1).max(48).optional(),
        drift: z.strictObject({ baselineDays: z.number().int().min(1).max(30).optional(), maxDrop: z.number().positive().optional() }).optional(),
      })
      .optional(),
    budget: z
      .strictObject({
        amount: z.number().positive().describe('Monthly budget in the billing currency.'),
        startDate: z.iso.date().describe('First day of the budget (YYYY-MM-01); from config so synth stays deterministic.'),
        thresholdsPercent: z.array(z.number().positive().max(1000)).optional(),
      })
      .optional(),
  })
  .describe('Alerts, action groups, budgets.');

export interface MonitoringConfig {
  readonly actionGroups: Readonly<Record<string, { shortName: string; emails: readonly string[]; webhooks: readonly string[] }>>;
  readonly defaultActionGroup: string;
  readonly alerts: Readonly<Record<string, { threshold?: number; severity?: number; enabled?: boolean }>>;
  readonly tokenBudgetPerHour: number;
  readonly quality: { readonly windowHours: number; readonly drift: { readonly baselineDays: number; readonly maxDrop: number } };
  readonly budget?: { readonly amount: number; readonly startDate: string; readonly thresholdsPercent: readonly number[] };
}

export function resolveMonitoring(raw: z.infer<typeof monitoringSchema> | undefined, ctx: ResolveContext): MonitoringConfig {
  const groups = raw?.actionGroups ?? { platform: { emails: ['platform@example.com'] } };
  const actionGroups: Record<string, MonitoringConfig['actionGroups'][string]> = {};
  for (const [name, g] of Object.entries(groups)) {
    actionGroups[name] = { shortName: g.shortName ?? name.slice(0, 12), emails: g.emails ?? [], webhooks: g.webhooks ?? [] };
  }
  return {
    actionGroups,
    defaultActionGroup: raw?.defaultActionGroup ?? Object.keys(actionGroups)[0]!,
    alerts: raw?.alerts ?? {},
    tokenBudgetPerHour: raw?.tokenBudgetPerHour ?? byProfile(ctx, 500_000, 5_000_000),
    quality: {
      windowHours: raw?.quality?.windowHours ?? 6,
      drift: { baselineDays: raw?.quality?.drift?.baselineDays ?? 7, maxDrop: raw?.quality?.drift?.maxDrop ?? 0.5 },
    },
    budget: raw?.budget
      ? { amount: raw.budget.amount, startDate: raw.budget.startDate, thresholdsPercent: raw.budget.thresholdsPercent ?? [80, 100] }
      : undefined,
  };
}
