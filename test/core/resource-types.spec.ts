import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../../constructs/core/errors';
import { LOCKED_TYPES } from '../../constructs/core/lock';
import {
  FORCES_NEW,
  isCloudFormationType,
  PRIVATE_DNS_ZONES,
  RESOURCE_TYPES,
  registryKey,
  resourceTypeFacts,
  resourceTypesWhere,
} from '../../constructs/core/resource-types';
import { parseResourceTypes } from '../../constructs/core/resource-types-schema';
import { PRIVATE_LINK_TYPES, PreventDestroyRule, requiresPreventDestroy } from '../../constructs/policy';
import type { SynthesizedResource } from '../../constructs/policy/engine';
import { isStateful } from '../../lib/plan-diff/rules/index';
import { isAzurermResourceType } from '../helpers/provider';

const REPO = join(__dirname, '..', '..');
const FILE = 'constructs/core/data/resource-types.json';
const data = (): Record<string, Record<string, unknown>> =>
  JSON.parse(readFileSync(join(REPO, FILE), 'utf8'));

/** The problems `parseResourceTypes` reports for `entries`, as `path: message`. */
function problems(entries: Record<string, unknown>): string[] {
  try {
    parseResourceTypes(entries, 'test.json');
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  return [];
}

/** A resource of registry key `key` as the rules see it: azapi for an ARM type, else its Terraform type. */
function resourceOf(key: string): { type: string; body: Record<string, string> } {
  return key.includes('/')
    ? { type: 'azapi_data_plane_resource', body: { type: `${key}@2024-07-01` } }
    : { type: key, body: {} };
}

const AWS_DOCS =
  'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html';

const STATEFUL = {
  losesDataWhenDestroyed: true,
  preventDestroy: true,
  statefulReason: 'holds data',
};

describe('resource-types.json against its schema', () => {
  test('the shipped file is valid, every entry kept', () => {
    // GIVEN the file as written
    const raw = data();
    // THEN it parses, and the registry the code reads is exactly the parsed file
    expect(problems(raw)).toEqual([]);
    expect(RESOURCE_TYPES).toEqual(parseResourceTypes(raw, FILE));
    expect(Object.keys(RESOURCE_TYPES).length).toBeGreaterThan(50);
  });

  test.each([
    ['an unknown field', { azurerm_x: { stateful: true } }, 'azurerm_x: Unrecognized key: "stateful"'],
    ['a key that is no resource type', { KeyVault: {} }, 'KeyVault: must be a Terraform type'],
    [
      'preventDestroy on a type that loses nothing',
      { azurerm_x: { losesDataWhenDestroyed: false, preventDestroy: true } },
      'azurerm_x.preventDestroy: is true but losesDataWhenDestroyed is not',
    ],
    [
      'one of the stateful pair without the other',
      { azurerm_x: { losesDataWhenDestroyed: true, statefulReason: 'holds data' } },
      'azurerm_x.preventDestroy: losesDataWhenDestroyed and preventDestroy are decided together',
    ],
    [
      'a stateful type without its reason',
      { azurerm_x: { losesDataWhenDestroyed: true, preventDestroy: false } },
      'azurerm_x.statefulReason: is required for a stateful type',
    ],
    [
      'a reason on a type that is not stateful',
      { azurerm_x: { statefulReason: 'holds data' } },
      'azurerm_x.statefulReason: is only for a stateful type',
    ],
    [
      'a lock on a type without prevent_destroy',
      { azurerm_x: { ...STATEFUL, preventDestroy: false, managementLock: true } },
      'azurerm_x.managementLock: is true but preventDestroy is not',
    ],
    [
      'a lock on the resource group',
      { azurerm_resource_group: { ...STATEFUL, managementLock: true } },
      'azurerm_resource_group.managementLock: must not be true',
    ],
    [
      'a diagnostic profile that sends nothing',
      { azurerm_x: { diagnostics: { logs: false, metrics: false } } },
      'azurerm_x.diagnostics',
    ],
    [
      'a sub-resource listed under two types',
      {
        azurerm_x: { privateLink: { vault: ['privatelink.a.net'] } },
        azurerm_y: { privateLink: { vault: ['privatelink.b.net'] } },
      },
      'azurerm_y.privateLink.vault: sub-resource "vault" is already listed under azurerm_x',
    ],
    [
      'a private DNS zone that is no privatelink zone',
      { azurerm_x: { privateLink: { vault: ['vault.azure.net'] } } },
      'azurerm_x.privateLink.vault.0:',
    ],
    [
      'a force-new path with a list index',
      { azurerm_x: { forcesNew: { attributes: ['model[0].format'], source: 'https://example.com' } } },
      'azurerm_x.forcesNew.attributes.0: must be an argument path without list indices',
    ],
    [
      'a force-new source that is no URL',
      { azurerm_x: { forcesNew: { attributes: ['name'], source: 'the docs' } } },
      'azurerm_x.forcesNew.source:',
    ],
    [
      'an in-place exception that is no [before, after] pair',
      {
        azurerm_x: {
          forcesNew: { attributes: [{ path: 'kind', inPlace: [['a']] }], source: 'https://example.com' },
        },
      },
      'azurerm_x.forcesNew.attributes.0',
    ],
    [
      'a CloudFormation force-new property that is no top-level property',
      { 'AWS::S3::Bucket': { forcesNew: { attributes: ['bucket_name'], source: AWS_DOCS } } },
      'AWS::S3::Bucket.forcesNew.attributes.0: must be a top-level CloudFormation property name',
    ],
    [
      'a CloudFormation force-new property with an in-place exception',
      {
        'AWS::S3::Bucket': {
          forcesNew: { attributes: [{ path: 'BucketName', inPlace: [['a', 'b']] }], source: AWS_DOCS },
        },
      },
      'AWS::S3::Bucket.forcesNew.attributes.0: must be a top-level CloudFormation property name',
    ],
    [
      'a CloudFormation force-new list from another page than the CloudFormation reference',
      { 'AWS::S3::Bucket': { forcesNew: { attributes: ['BucketName'], source: 'https://example.com/s3' } } },
      'AWS::S3::Bucket.forcesNew.source: must be the CloudFormation resource reference page',
    ],
    [
      'an Azure fact on a CloudFormation type',
      {
        'AWS::S3::Bucket': { ...STATEFUL, managementLock: true, diagnostics: { logs: true, metrics: true } },
      },
      'AWS::S3::Bucket.managementLock: is an Azure fact: a CloudFormation type has none',
    ],
    [
      'a PascalCase force-new argument on a Terraform type',
      { azurerm_x: { forcesNew: { attributes: ['Name'], source: 'https://example.com' } } },
      'azurerm_x.forcesNew.attributes.0: must be a Terraform argument path (snake_case)',
    ],
    [
      'a CloudFormation type that is not AWS::<service>::<resource>',
      { 'AWS::S3': {} },
      'AWS::S3: must be a Terraform type',
    ],
  ])('rejects %s, naming where', (_, entries, expected) => {
    expect(problems(entries)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  test('the error names the file and every problem at once', () => {
    const run = () => parseResourceTypes({ azurerm_x: { a: 1 }, azurerm_y: { b: 2 } }, 'some/file.json');
    expect(run).toThrow('Invalid resource-type registry some/file.json');
    expect(problems({ azurerm_x: { a: 1 }, azurerm_y: { b: 2 } })).toHaveLength(2);
  });
});

describe('registry keys', () => {
  test('every Terraform key is a type of the pinned providers (a misspelt one matches nothing)', () => {
    const terraform = Object.keys(RESOURCE_TYPES).filter((k) => !k.includes('/') && !isCloudFormationType(k));
    const notAzurerm = terraform.filter((k) => !isAzurermResourceType(k));
    // azapi and time are the other providers the stacks use.
    expect(notAzurerm.sort()).toEqual(['azapi_data_plane_resource', 'azapi_resource', 'time_sleep']);
  });

  test('an azapi resource is keyed by the ARM type of its `type`, without API version and in any case', () => {
    expect(
      registryKey('azapi_data_plane_resource', 'Microsoft.Search/searchServices/indexes@2024-07-01'),
    ).toBe('Microsoft.Search/searchServices/indexes');
    expect(resourceTypeFacts('azapi_resource', 'microsoft.search/searchservices/INDEXES@2025-05-01')).toBe(
      RESOURCE_TYPES['Microsoft.Search/searchServices/indexes'],
    );
    expect(registryKey('azapi_resource')).toBeUndefined();
    expect(resourceTypeFacts('azapi_resource', 'Microsoft.Search/searchServices/indexesX@1')).toBeUndefined();
    expect(registryKey('azurerm_key_vault', 'ignored')).toBe('azurerm_key_vault');
  });
});

describe('CloudFormation entries (the AWS rendering)', () => {
  const aws = Object.keys(RESOURCE_TYPES).filter(isCloudFormationType);

  test('are keyed AWS::<service>::<resource> and allowed next to the Terraform and ARM keys', () => {
    expect(aws.length).toBeGreaterThanOrEqual(6);
    expect(
      problems({
        'AWS::S3::Bucket': { ...STATEFUL, forcesNew: { attributes: ['BucketName'], source: AWS_DOCS } },
      }),
    ).toEqual([]);
    expect(isCloudFormationType('azurerm_key_vault')).toBe(false);
    expect(isCloudFormationType('Microsoft.Search/searchServices')).toBe(false);
  });

  test('every stateful one is protected (DeletionPolicy / UpdateReplacePolicy Retain) and has a replacement list or none documented', () => {
    // GIVEN the AWS entries that lose data
    const stateful = aws.filter((t) => RESOURCE_TYPES[t]!.losesDataWhenDestroyed);
    // THEN each asks for Retain; the KMS key alone has no forcesNew: changing KeySpec, KeyUsage, Origin or
    // MultiRegion fails the update instead of replacing the key
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html)
    expect(stateful.filter((t) => !RESOURCE_TYPES[t]!.preventDestroy)).toEqual([]);
    expect(stateful.filter((t) => !FORCES_NEW[t])).toEqual(['AWS::KMS::Key']);
  });
});

describe('every entry: the rules that read a fact agree with the registry', () => {
  const keys = Object.keys(RESOURCE_TYPES);

  test.each(keys)('%s: plan diff blocks its destroy exactly when losesDataWhenDestroyed', (key) => {
    const facts = RESOURCE_TYPES[key]!;
    expect(isStateful(resourceOf(key))).toBe(facts.losesDataWhenDestroyed === true);
  });

  test.each(keys)(
    '%s: the prevent-destroy rule demands prevent_destroy exactly when preventDestroy',
    (key) => {
      // GIVEN a resource of the type without lifecycle.prevent_destroy
      const { type, body } = resourceOf(key);
      const rule = new PreventDestroyRule();
      const resource = { type, attributes: body } as unknown as SynthesizedResource;
      // THEN the rule looks at it and finds it unprotected exactly when the registry says so
      const finding = rule.appliesTo(type) ? rule.check(resource) : undefined;
      expect(finding !== undefined).toBe(RESOURCE_TYPES[key]!.preventDestroy === true);
      expect(requiresPreventDestroy(type, body.type)).toBe(RESOURCE_TYPES[key]!.preventDestroy === true);
    },
  );

  test('the stateful decisions: destroy blocks the plan for more types than the policy protects', () => {
    // Recorded so a change to either list is a visible decision (each entry's statefulReason says why).
    expect(resourceTypesWhere((f) => f.losesDataWhenDestroyed === true && !f.preventDestroy)).toEqual([
      'azurerm_cognitive_deployment',
      'azurerm_storage_container',
    ]);
  });

  test('locked types are the entries with managementLock, all protected by prevent_destroy, never the group', () => {
    expect([...LOCKED_TYPES]).toEqual(resourceTypesWhere((f) => f.managementLock === true));
    expect(LOCKED_TYPES.size).toBeGreaterThanOrEqual(5);
    expect([...LOCKED_TYPES].filter((t) => !RESOURCE_TYPES[t]!.preventDestroy)).toEqual([]);
    expect(LOCKED_TYPES.has('azurerm_resource_group')).toBe(false);
  });

  test('the private-endpoint rule requires an endpoint on each type with private DNS zones, for its first sub-resource', () => {
    const withZones = resourceTypesWhere((f) => f.privateLink !== undefined);
    expect(Object.keys(PRIVATE_LINK_TYPES).sort()).toEqual([...withZones].sort());
    expect(PRIVATE_LINK_TYPES.azurerm_storage_account).toBe('blob');
    // every sub-resource's zones are what an endpoint of that sub-resource is given
    for (const type of withZones) {
      for (const [sub, zones] of Object.entries(RESOURCE_TYPES[type]!.privateLink!)) {
        expect((PRIVATE_DNS_ZONES as Record<string, readonly string[]>)[sub]).toEqual(zones);
      }
    }
  });

  test('the force-new table is the forcesNew entries', () => {
    expect(Object.keys(FORCES_NEW)).toEqual(resourceTypesWhere((f) => f.forcesNew !== undefined));
    expect(FORCES_NEW.azurerm_role_assignment!.attributes).toBe('all-arguments');
  });
});
