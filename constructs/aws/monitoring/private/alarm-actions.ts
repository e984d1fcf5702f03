import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { type Problems, show } from '../../../core/errors';

/**
 * Routes an alarm to `topic` on ALARM and on OK, so a resolved alarm is announced like an Azure alert that
 * auto-resolves.
 */
export function notify(alarm: cloudwatch.Alarm, topic: sns.ITopic): cloudwatch.Alarm {
  const action = new SnsAction(topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}

/** Keys of maps whose keys become construct ids and alarm names: letters, digits, '-', '_'. */
export const MAP_KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Checks a map key used as a construct id and in alarm names. */
export function checkKey(problems: Problems, path: string, key: string): void {
  problems.check(
    MAP_KEY.test(key),
    path,
    `${show(key)} must be 1-64 letters, digits, '_' and '-', starting with a letter or digit`,
  );
}

/** Checks a `nameSuffix` prop (appended to alarm names). */
export function checkNameSuffix(problems: Problems, suffix: string | undefined): void {
  if (suffix === undefined) return;
  problems.check(
    /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(suffix),
    'nameSuffix',
    `${show(suffix)} must be letters, digits, '_', '.', '-'`,
  );
}

/** Checks a threshold prop: a finite number at least `min` (strictly above when `exclusive`). */
export function checkThreshold(
  problems: Problems,
  path: string,
  value: number | undefined,
  min: number,
  exclusive = false,
): void {
  if (value === undefined) return;
  const ok = Number.isFinite(value) && (exclusive ? value > min : value >= min);
  problems.check(ok, path, `${show(value)} must be a number ${exclusive ? 'above' : 'of at least'} ${min}`);
}

/** `<key>-<suffix>`, or undefined (CloudFormation names the alarm) without a suffix. */
export function alarmName(key: string, suffix: string | undefined): string | undefined {
  return suffix === undefined ? undefined : `${key}-${suffix}`;
}
