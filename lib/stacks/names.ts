/** The name of an environment's bootstrap stack (kept apart from the stack so tools import no constructs). */
export function bootstrapStackName(env: string): string {
  return `bootstrap-${env}`;
}
