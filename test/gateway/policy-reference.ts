import type { Node } from './xml';

/**
 * The API Management policies the gateway generates, as the Microsoft Learn policy reference defines them:
 * element names, attributes (required ones, allowed values), child elements in the order the reference's
 * policy statement gives, and the policy sections each may appear in. Only what the gateway uses is listed;
 * {@link policyReferenceProblems} rejects anything else, so a new policy needs its reference entry first.
 *
 * @see https://learn.microsoft.com/azure/api-management/api-management-policies
 */

/** The sections of a policy document, in the order they must appear. */
export const POLICY_SECTIONS = ['inbound', 'backend', 'outbound', 'on-error'] as const;
type Section = (typeof POLICY_SECTIONS)[number];
const ALL_SECTIONS: readonly Section[] = POLICY_SECTIONS;

interface AttributeSpec {
  readonly required?: boolean;
  /** Allowed literal values; policy expressions (`@(...)`, `@{...}`) and named values (`{{...}}`) pass. */
  readonly values?: readonly string[];
  /** Whether policy expressions are allowed (Learn: "Policy expressions aren't allowed"). @default true */
  readonly expressions?: boolean;
}

/** A child element that is not a policy of its own (`<value>`, `<dimension>`, `<when>`, ...). */
interface ElementSpec {
  readonly attributes?: Readonly<Record<string, AttributeSpec>>;
  /** Child elements in reference order; `policies` means any policy statement allowed in the section. */
  readonly children?: Readonly<Record<string, ElementSpec>> | 'policies';
  /** Children that must be present. */
  readonly requiredChildren?: readonly string[];
  /** The element carries text (a value or an expression). */
  readonly text?: boolean;
}

/** A policy statement: an element plus the sections it may appear in. */
interface PolicySpec extends ElementSpec {
  readonly sections: readonly Section[];
  /** A rule the attribute table cannot express, returning a problem or undefined. */
  readonly check?: (node: Node) => string | undefined;
}

const BOOL = ['true', 'false'];
const text: ElementSpec = { text: true };

/** Policy statements by element name (Learn: "<name> policy", sections "Policy statement" and "Usage"). */
export const POLICY_REFERENCE: Readonly<Record<string, PolicySpec>> = {
  base: { sections: ALL_SECTIONS },
  // https://learn.microsoft.com/azure/api-management/set-header-policy
  'set-header': {
    sections: ALL_SECTIONS,
    attributes: {
      name: { required: true },
      'exists-action': { values: ['override', 'skip', 'append', 'delete'] },
    },
    children: { value: text },
  },
  // https://learn.microsoft.com/azure/api-management/set-variable-policy
  'set-variable': {
    sections: ALL_SECTIONS,
    attributes: { name: { required: true }, value: { required: true } },
  },
  // https://learn.microsoft.com/azure/api-management/choose-policy
  choose: {
    sections: ALL_SECTIONS,
    children: {
      when: { attributes: { condition: { required: true } }, children: 'policies' },
      otherwise: { children: 'policies' },
    },
    requiredChildren: ['when'],
  },
  // https://learn.microsoft.com/azure/api-management/return-response-policy
  'return-response': {
    sections: ALL_SECTIONS,
    attributes: { 'response-variable-name': {} },
    children: {
      'set-status': {
        attributes: { code: { required: true }, reason: { required: true } },
      },
      'set-header': {
        attributes: {
          name: { required: true },
          'exists-action': { values: ['override', 'skip', 'append', 'delete'] },
        },
        children: { value: text },
      },
      'set-body': {
        attributes: { template: { values: ['liquid', 'none'] }, 'xsi-nil': { values: ['blank', 'null'] } },
        text: true,
      },
    },
  },
  // https://learn.microsoft.com/azure/api-management/set-backend-service-policy
  'set-backend-service': {
    sections: ['inbound', 'backend'],
    attributes: {
      'base-url': {},
      'backend-id': {},
      'sf-resolve-condition': {},
      'sf-service-instance-name': {},
      'sf-listener-name': {},
    },
    check: (node) =>
      'base-url' in node.attributes !== 'backend-id' in node.attributes
        ? undefined
        : 'needs exactly one of base-url and backend-id',
  },
  // https://learn.microsoft.com/azure/api-management/rewrite-uri-policy
  'rewrite-uri': {
    sections: ['inbound'],
    attributes: {
      template: { required: true },
      'copy-unmatched-params': { values: BOOL, expressions: false },
    },
  },
  // https://learn.microsoft.com/azure/api-management/set-query-parameter-policy
  'set-query-parameter': {
    sections: ['inbound', 'backend'],
    attributes: {
      name: { required: true },
      'exists-action': { values: ['override', 'skip', 'append', 'delete'] },
    },
    children: { value: text },
  },
  // https://learn.microsoft.com/azure/api-management/authentication-managed-identity-policy
  'authentication-managed-identity': {
    sections: ['inbound'],
    attributes: {
      resource: { required: true },
      'client-id': {},
      'output-token-variable-name': {},
      'ignore-error': { values: BOOL },
    },
  },
  // https://learn.microsoft.com/azure/api-management/azure-openai-emit-token-metric-policy
  'azure-openai-emit-token-metric': {
    sections: ['inbound'],
    attributes: { namespace: { expressions: false } },
    children: { dimension: { attributes: { name: { required: true }, value: {} } } },
    check: (node) =>
      node.children.length <= 10 ? undefined : `${node.children.length} dimensions, at most 10 are allowed`,
  },
  // https://learn.microsoft.com/azure/api-management/azure-openai-token-limit-policy
  'azure-openai-token-limit': {
    sections: ['inbound'],
    attributes: {
      'counter-key': { required: true },
      'tokens-per-minute': {},
      'token-quota': {},
      'token-quota-period': {
        values: ['Hourly', 'Daily', 'Weekly', 'Monthly', 'Yearly'],
        expressions: false,
      },
      'estimate-prompt-tokens': { required: true, values: BOOL, expressions: false },
      'retry-after-header-name': { expressions: false },
      'retry-after-variable-name': { expressions: false },
      'remaining-quota-tokens-header-name': { expressions: false },
      'remaining-quota-tokens-variable-name': { expressions: false },
      'remaining-tokens-header-name': { expressions: false },
      'remaining-tokens-variable-name': { expressions: false },
      'tokens-consumed-header-name': { expressions: false },
      'tokens-consumed-variable-name': { expressions: false },
    },
    check: (node) => {
      const a = node.attributes;
      if (!('tokens-per-minute' in a) && !('token-quota' in a))
        return 'needs tokens-per-minute or token-quota';
      if ('token-quota' in a !== 'token-quota-period' in a)
        return 'token-quota and token-quota-period go together';
      return undefined;
    },
  },
  // https://learn.microsoft.com/azure/api-management/azure-openai-semantic-cache-lookup-policy
  'azure-openai-semantic-cache-lookup': {
    sections: ['inbound'],
    attributes: {
      'score-threshold': { required: true },
      'embeddings-backend-id': { required: true },
      'embeddings-backend-auth': { required: true, values: ['system-assigned'] },
      'ignore-system-messages': { values: BOOL },
      'max-message-count': {},
    },
    children: { 'vary-by': text },
  },
  // https://learn.microsoft.com/azure/api-management/azure-openai-semantic-cache-store-policy
  'azure-openai-semantic-cache-store': {
    sections: ['outbound'],
    attributes: { duration: { required: true } },
  },
  // https://learn.microsoft.com/azure/api-management/retry-policy
  retry: {
    sections: ALL_SECTIONS,
    attributes: {
      condition: { required: true },
      count: { required: true },
      interval: { required: true },
      'max-interval': {},
      delta: {},
      'first-fast-retry': { values: BOOL },
    },
    children: 'policies',
  },
  // https://learn.microsoft.com/azure/api-management/forward-request-policy
  'forward-request': {
    sections: ['backend'],
    attributes: {
      timeout: {},
      'timeout-ms': {},
      'continue-timeout': {},
      'http-version': { values: ['1', '2or1', '2'] },
      'follow-redirects': { values: BOOL },
      'buffer-request-body': { values: BOOL },
      'buffer-response': { values: BOOL },
      'fail-on-error-status-code': { values: BOOL },
    },
  },
  // https://learn.microsoft.com/azure/api-management/trace-policy
  trace: {
    sections: ALL_SECTIONS,
    attributes: {
      source: { required: true, expressions: false },
      severity: { values: ['verbose', 'information', 'error'], expressions: false },
    },
    children: {
      message: text,
      metadata: { attributes: { name: { required: true }, value: { required: true } } },
    },
    requiredChildren: ['message'],
  },
};

function isExpression(value: string): boolean {
  return /^@[({]/.test(value) || /\{\{[^}]+\}\}/.test(value);
}

function checkAttributes(node: Node, spec: ElementSpec, at: string, problems: string[]): void {
  const allowed = spec.attributes ?? {};
  for (const [name, value] of Object.entries(node.attributes)) {
    const a = allowed[name];
    if (!a) {
      problems.push(
        `${at}: unknown attribute ${name} (allowed: ${Object.keys(allowed).join(', ') || 'none'})`,
      );
      continue;
    }
    if (isExpression(value)) {
      if (a.expressions === false) problems.push(`${at}: ${name} does not accept policy expressions`);
    } else if (a.values && !a.values.includes(value)) {
      problems.push(`${at}: ${name}="${value}" is not one of ${a.values.join(', ')}`);
    }
  }
  for (const [name, a] of Object.entries(allowed)) {
    if (a.required && !(name in node.attributes))
      problems.push(`${at}: required attribute ${name} is missing`);
  }
}

function checkElement(node: Node, spec: ElementSpec, section: Section, at: string, problems: string[]): void {
  checkAttributes(node, spec, at, problems);
  if (!spec.text && node.text !== '') problems.push(`${at}: unexpected text`);
  if (spec.children === 'policies') {
    for (const child of node.children) checkPolicy(child, section, `${at}/${child.name}`, problems);
    return;
  }
  const children = spec.children ?? {};
  const order = Object.keys(children);
  let last = -1;
  for (const child of node.children) {
    const childSpec = children[child.name];
    if (!childSpec) {
      problems.push(`${at}: unexpected child <${child.name}> (allowed: ${order.join(', ') || 'none'})`);
      continue;
    }
    const position = order.indexOf(child.name);
    if (position < last)
      problems.push(`${at}: <${child.name}> is out of the reference order (${order.join(', ')})`);
    last = Math.max(last, position);
    checkElement(child, childSpec, section, `${at}/${child.name}`, problems);
  }
  for (const name of spec.requiredChildren ?? []) {
    if (!node.children.some((c) => c.name === name))
      problems.push(`${at}: required child <${name}> is missing`);
  }
}

function checkPolicy(node: Node, section: Section, at: string, problems: string[]): void {
  const spec = Object.hasOwn(POLICY_REFERENCE, node.name) ? POLICY_REFERENCE[node.name] : undefined;
  if (!spec) {
    problems.push(`${at}: <${node.name}> is not a policy in the reference`);
    return;
  }
  if (!spec.sections.includes(section)) {
    problems.push(`${at}: <${node.name}> is not allowed in <${section}> (only ${spec.sections.join(', ')})`);
  }
  checkElement(node, spec, section, at, problems);
  const extra = spec.check?.(node);
  if (extra) problems.push(`${at}: ${extra}`);
}

/**
 * Every way a policy document breaks the reference: the root must be `<policies>` with the four sections in
 * order, each section holds policy statements allowed there, and every element, attribute and value is one
 * the reference lists. Empty when the document follows the reference.
 */
export function policyReferenceProblems(document: Node): string[] {
  const problems: string[] = [];
  if (document.name !== 'policies') return [`root is <${document.name}>, not <policies>`];
  const names = document.children.map((c) => c.name);
  if (names.join() !== POLICY_SECTIONS.join()) {
    problems.push(`sections are ${names.join(', ')}; expected ${POLICY_SECTIONS.join(', ')}`);
  }
  for (const section of document.children) {
    if (!(POLICY_SECTIONS as readonly string[]).includes(section.name)) continue;
    for (const statement of section.children) {
      checkPolicy(statement, section.name as Section, `${section.name}/${statement.name}`, problems);
    }
  }
  return problems;
}

/** The policy statement names used in a document (depth first), for coverage assertions. */
export function policyNames(node: Node): string[] {
  const out = new Set<string>();
  const walk = (n: Node) => {
    if (Object.hasOwn(POLICY_REFERENCE, n.name)) out.add(n.name);
    n.children.forEach(walk);
  };
  walk(node);
  return [...out].sort();
}
