import {
  BEDROCK_MODELS,
  bedrockModelProblem,
  CROSS_REGION_PREFIXES,
  crossRegionProblem,
  embeddingDimensions,
  embeddingDimensionsProblem,
  isVersionedBedrockModelId,
} from '../../../constructs/aws/models';

const SONNET = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const TITAN = 'amazon.titan-embed-text-v2:0';
const EXAMPLES = '"anthropic.claude-sonnet-4-5-20250929-v1:0" or "amazon.titan-embed-text-v2:0"';

describe('the Bedrock model catalog (data/bedrock-models.json)', () => {
  test.each(Object.entries(BEDROCK_MODELS))('%s is well formed', (modelId, facts) => {
    // GIVEN one entry WHEN its facts are read THEN they hold together
    expect(bedrockModelProblem(modelId)).toBeUndefined();
    expect(['chat', 'embedding']).toContain(facts.role);
    expect(facts.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(facts.embedding !== undefined).toBe(facts.role === 'embedding');
    if (facts.embedding) expect(facts.embedding.supportedDimensions).toContain(facts.embedding.dimensions);
    for (const [prefix, destinations] of Object.entries(facts.crossRegion)) {
      expect(CROSS_REGION_PREFIXES).toContain(prefix);
      if (prefix === 'global') expect(destinations).toBe('*');
      else
        expect(destinations).toEqual(expect.arrayContaining([expect.stringMatching(/^[a-z]{2}-[a-z]+-\d$/)]));
    }
    // a model Bedrock serves only through profiles must offer one
    if (!facts.inRegion) expect(Object.keys(facts.crossRegion).length).toBeGreaterThan(0);
  });
});

describe('bedrockModelProblem', () => {
  test.each([
    [SONNET],
    [TITAN],
    ['cohere.embed-english-v3'], // published without a ":<version>" suffix, listed with the reason
    ['meta.llama3-1-70b-instruct-v1:0'], // not in the catalog, but versioned
    ['openai.gpt-oss-20b-1:0'], // an OpenAI model on Bedrock, with its provider prefix
  ])('accepts %s', (id) => {
    expect(bedrockModelProblem(id)).toBeUndefined();
    expect(isVersionedBedrockModelId(id)).toBe(true);
  });

  test.each([
    [
      'gpt-4o',
      `"gpt-4o" is an Azure OpenAI model name, not a Bedrock model ID: an AWS environment names a versioned Bedrock model ID such as ${EXAMPLES}`,
    ],
    [
      'text-embedding-3-large',
      `"text-embedding-3-large" is an Azure OpenAI model name, not a Bedrock model ID: an AWS environment names a versioned Bedrock model ID such as ${EXAMPLES}`,
    ],
    [
      'anthropic.claude-sonnet-4-5',
      `"anthropic.claude-sonnet-4-5" is not pinned to a version: give the ID with its ":<version>" suffix, such as ${EXAMPLES} (floating IDs are not allowed)`,
    ],
    [
      'cohere.embed-english-v4',
      `"cohere.embed-english-v4" is not pinned to a version: give the ID with its ":<version>" suffix, such as ${EXAMPLES} (floating IDs are not allowed)`,
    ],
    [
      `us.${SONNET}`,
      `"us.${SONNET}" is a cross-region inference profile ID: set the model ID to "${SONNET}" and crossRegion to "us"`,
    ],
    [
      `arn:aws:bedrock:us-east-1::foundation-model/${TITAN}`,
      `"arn:aws:bedrock:us-east-1::foundation-model/${TITAN}" is an ARN: give the versioned model ID itself, such as ${EXAMPLES}`,
    ],
    [
      'Claude Sonnet',
      `"Claude Sonnet" is not a Bedrock model ID: "<provider>.<model>:<version>" in lowercase letters, digits, "-" and ".", such as ${EXAMPLES}`,
    ],
    [
      'anthropic.claude-3-haiku-20240307-v1:0:200k',
      '"anthropic.claude-3-haiku-20240307-v1:0:200k" is a provisioned-throughput variant (context-length suffix): on-demand deployments use the ID without the last ":" part',
    ],
  ])('rejects %s', (id, message) => {
    expect(bedrockModelProblem(id)).toBe(message);
    expect(isVersionedBedrockModelId(id)).toBe(false);
  });
});

describe('crossRegionProblem', () => {
  test.each([
    [SONNET, 'us', 'us-east-1'],
    [SONNET, 'global', 'sa-east-1'],
    [TITAN, undefined, 'us-east-1'],
    ['meta.llama3-1-70b-instruct-v1:0', 'us', 'us-east-1'], // unknown model: Bedrock decides at deploy time
  ])('accepts %s through %s from %s', (modelId, prefix, region) => {
    expect(crossRegionProblem(modelId, prefix, region)).toBeUndefined();
  });

  test.each([
    [
      SONNET,
      undefined,
      `"${SONNET}" is served only through cross-region inference profiles: set crossRegion to one of us, eu, jp, au, global`,
    ],
    [
      SONNET,
      'apac',
      `"${SONNET}" has no "apac" cross-region inference profile: one of us, eu, jp, au, global`,
    ],
    [TITAN, 'us', `"${TITAN}" has no cross-region inference profile: leave crossRegion unset`],
    [
      SONNET,
      'eu',
      `the "eu" profile of "${SONNET}" cannot be used from us-east-1: its Regions are eu-central-1, eu-north-1, eu-south-1, eu-south-2, eu-west-1, eu-west-3`,
    ],
    [
      SONNET,
      'mars',
      '"mars" is not a cross-region inference profile prefix: one of us, eu, apac, jp, au, global',
    ],
  ])('rejects %s through %s from us-east-1', (modelId, prefix, message) => {
    expect(crossRegionProblem(modelId, prefix, 'us-east-1')).toBe(message);
  });
});

describe('embedding dimensions', () => {
  test('known embedding models have their native size; chat and unknown models none', () => {
    expect(embeddingDimensions(TITAN)).toBe(1024);
    expect(embeddingDimensions('cohere.embed-multilingual-v3')).toBe(1024);
    expect(embeddingDimensions(SONNET)).toBeUndefined();
    expect(embeddingDimensions('acme.embed-unknown-v1:0')).toBeUndefined();
  });

  test('Titan Text Embeddings V2 returns 256, 512 or 1024 dimensions', () => {
    expect(embeddingDimensionsProblem(TITAN, 512)).toBeUndefined();
    expect(embeddingDimensionsProblem(TITAN, 1536)).toBe(
      `1536 is not a vector size of "${TITAN}": one of 256, 512, 1024`,
    );
    expect(embeddingDimensionsProblem('acme.embed-unknown-v1:0', 1536)).toBeUndefined();
  });
});
