import { ValidationError } from '../../constructs/core/errors';
import { QUALITY_EVENT_NAME, QualityFields } from '../../constructs/monitoring/quality-contract';
import { UsageError } from '../../lib/cli/exit';
import {
  azureCliTokenProvider,
  buildQualityEnvelopes,
  DEFAULT_INGESTION_ENDPOINT,
  defaultTokenProvider,
  describeRejections,
  parseConnectionString,
  parseTrackResponse,
  postEnvelopes,
  type QualityRunContext,
} from '../../lib/evaluation/sender';
import { type IngestionStub, startIngestionStub } from './ingestion-stub';

const IKEY = '00000000-1111-2222-3333-444444444444';
const TIME = new Date('2025-06-01T12:00:00Z');
const CONTEXT: QualityRunContext = {
  environment: 'dev',
  deployment: 'chat',
  variant: 'control',
  source: 'ci',
  runId: '9876543210',
};

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('parseConnectionString', () => {
  test('reads the instrumentation key and ingestion endpoint, keys case-insensitive', () => {
    const cs = `instrumentationkey=${IKEY};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/;ApplicationId=abc`;
    expect(parseConnectionString(cs)).toEqual({
      instrumentationKey: IKEY,
      ingestionEndpoint: 'https://westeurope-5.in.applicationinsights.azure.com',
    });
  });

  test('defaults the ingestion endpoint to the global one', () => {
    expect(parseConnectionString(`InstrumentationKey=${IKEY}`).ingestionEndpoint).toBe(
      DEFAULT_INGESTION_ENDPOINT,
    );
  });

  test('allows http for loopback only', () => {
    expect(
      parseConnectionString(`InstrumentationKey=${IKEY};IngestionEndpoint=http://127.0.0.1:8080/`),
    ).toEqual({
      instrumentationKey: IKEY,
      ingestionEndpoint: 'http://127.0.0.1:8080',
    });
  });

  test('fails when the instrumentation key is missing', () => {
    expect(problemsOf(() => parseConnectionString('IngestionEndpoint=https://x.example'))).toEqual([
      'connection string.InstrumentationKey: is missing',
    ]);
  });

  test('fails when the instrumentation key is not a GUID, without echoing it', () => {
    const problems = problemsOf(() => parseConnectionString('InstrumentationKey=secret-ish'));
    expect(problems).toEqual(['connection string.InstrumentationKey: must be a GUID']);
  });

  test('fails when the endpoint uses http on a non-loopback host', () => {
    expect(
      problemsOf(() =>
        parseConnectionString(`InstrumentationKey=${IKEY};IngestionEndpoint=http://in.example.com/`),
      ),
    ).toEqual([
      'connection string.IngestionEndpoint: "http://in.example.com/" must use https (http is allowed only for 127.0.0.1, localhost and [::1])',
    ]);
  });

  test('fails when the endpoint is not a URL', () => {
    expect(
      problemsOf(() => parseConnectionString(`InstrumentationKey=${IKEY};IngestionEndpoint=nope`)),
    ).toEqual(['connection string.IngestionEndpoint: "nope" is not a URL']);
  });

  test('fails when a part is not Key=Value', () => {
    expect(problemsOf(() => parseConnectionString(`InstrumentationKey=${IKEY};garbage`))).toEqual([
      'connection string: part 2 is not "Key=Value"',
    ]);
  });
});

describe('buildQualityEnvelopes', () => {
  test('builds one custom event per metric under the quality contract', () => {
    // GIVEN two scores
    // WHEN envelopes are built
    const envelopes = buildQualityEnvelopes({ relevance: 4.2, groundedness: 4.6 }, CONTEXT, {
      instrumentationKey: IKEY,
      time: TIME,
    });
    // THEN there is one EventData envelope per metric, in metric-name order
    expect(envelopes).toHaveLength(2);
    expect(envelopes[0]).toEqual({
      name: 'Microsoft.ApplicationInsights.Event',
      time: '2025-06-01T12:00:00.000Z',
      iKey: IKEY,
      tags: { 'ai.cloud.role': 'llmops-evaluation', 'ai.operation.id': '9876543210' },
      data: {
        baseType: 'EventData',
        baseData: {
          ver: 2,
          name: 'gen_ai.evaluation.result',
          properties: {
            'gen_ai.evaluation.name': 'groundedness',
            'gen_ai.request.model': 'chat',
            'llmops.variant': 'control',
            'llmops.environment': 'dev',
            'llmops.evaluation.source': 'ci',
            'llmops.evaluation.run_id': '9876543210',
          },
          measurements: { 'gen_ai.evaluation.score.value': 4.6 },
        },
      },
    });
    expect(envelopes[1]!.data.baseData.properties[QualityFields.metric]).toBe('relevance');
    expect(envelopes[1]!.data.baseData.measurements[QualityFields.score]).toBe(4.2);
    expect(envelopes.every((e) => e.data.baseData.name === QUALITY_EVENT_NAME)).toBe(true);
  });

  test('fails when the context is incomplete or the source unknown', () => {
    const bad = { ...CONTEXT, deployment: ' ', source: 'nightly' } as unknown as QualityRunContext;
    expect(
      problemsOf(() =>
        buildQualityEnvelopes({ groundedness: 4 }, bad, { instrumentationKey: IKEY, time: TIME }),
      ),
    ).toEqual([
      'deployment: " " must be a non-empty string of at most 8192 characters',
      'source: "nightly" must be one of ci, continuous',
    ]);
  });

  test('fails when a score is not finite', () => {
    expect(
      problemsOf(() =>
        buildQualityEnvelopes({ groundedness: Number.NaN }, CONTEXT, {
          instrumentationKey: IKEY,
          time: TIME,
        }),
      ),
    ).toEqual(['scores.groundedness: NaN is not a number']);
  });

  test('fails when the time is invalid', () => {
    expect(
      problemsOf(() =>
        buildQualityEnvelopes({ a: 1 }, CONTEXT, { instrumentationKey: IKEY, time: new Date('nope') }),
      ),
    ).toEqual(['time: is not a valid date']);
  });

  test('fails when there is no score', () => {
    expect(
      problemsOf(() => buildQualityEnvelopes({}, CONTEXT, { instrumentationKey: IKEY, time: TIME })),
    ).toEqual(['scores: there is no score to send']);
  });
});

describe('postEnvelopes against a local ingestion stub', () => {
  let stub: IngestionStub | undefined;
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });

  const envelopes = buildQualityEnvelopes({ groundedness: 4.6, relevance: 4.2, coherence: 4.4 }, CONTEXT, {
    instrumentationKey: IKEY,
    time: TIME,
  });

  test('posts the envelopes as a JSON array with a bearer token to /v2.1/track', async () => {
    stub = await startIngestionStub();
    const result = await postEnvelopes({
      target: { instrumentationKey: IKEY, ingestionEndpoint: stub.endpoint },
      envelopes,
      getToken: async () => 'fake-entra-token',
    });
    expect(result).toEqual({
      httpStatus: 200,
      itemsReceived: 3,
      itemsAccepted: 3,
      errors: [],
      allAccepted: true,
    });
    expect(stub.requests).toHaveLength(1);
    const request = stub.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/v2.1/track');
    expect(request.headers.authorization).toBe('Bearer fake-entra-token');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual(envelopes);
  });

  test('reports partial acceptance as not all accepted, naming the rejected metric', async () => {
    stub = await startIngestionStub(() => ({
      status: 206,
      body: {
        itemsReceived: 3,
        itemsAccepted: 2,
        errors: [{ index: 1, statusCode: 400, message: 'Invalid field' }],
      },
    }));
    const result = await postEnvelopes({
      target: { instrumentationKey: IKEY, ingestionEndpoint: stub.endpoint },
      envelopes,
      getToken: async () => 'fake-entra-token',
    });
    expect(result.allAccepted).toBe(false);
    expect(result.itemsAccepted).toBe(2);
    // envelopes are in metric order: coherence, groundedness, relevance
    expect(describeRejections(result, envelopes)).toEqual(['groundedness: 400 Invalid field']);
  });

  test('a refused token says which role is needed', async () => {
    stub = await startIngestionStub(() => ({
      status: 401,
      body: { itemsReceived: 3, itemsAccepted: 0, errors: [] },
    }));
    const result = await postEnvelopes({
      target: { instrumentationKey: IKEY, ingestionEndpoint: stub.endpoint },
      envelopes,
      getToken: async () => 'expired',
    });
    expect(result.allAccepted).toBe(false);
    expect(describeRejections(result, envelopes).join('\n')).toContain('"Monitoring Metrics Publisher" role');
  });
});

describe('parseTrackResponse', () => {
  test('a 200 that accepted fewer items than sent is not all accepted', () => {
    expect(parseTrackResponse(200, '{"itemsReceived":2,"itemsAccepted":2,"errors":[]}', 3).allAccepted).toBe(
      false,
    );
  });

  test('a body that is not the expected JSON is kept, cut to 500 characters', () => {
    const result = parseTrackResponse(502, `<html>${'x'.repeat(600)}</html>`, 1);
    expect(result).toMatchObject({ httpStatus: 502, itemsReceived: 0, itemsAccepted: 0, allAccepted: false });
    expect(result.rawBody).toHaveLength(500);
    expect(describeRejections(result, [])[0]).toMatch(/^HTTP 502: <html>x/);
  });
});

describe('token providers', () => {
  test('AZURE_MONITOR_TOKEN wins over the Azure CLI', async () => {
    const run = jest.fn(async () => 'from-az\n');
    expect(await defaultTokenProvider({ AZURE_MONITOR_TOKEN: ' from-env ' }, run)()).toBe('from-env');
    expect(run).not.toHaveBeenCalled();
  });

  test('asks the Azure CLI for a token for https://monitor.azure.com', async () => {
    const run = jest.fn(async (_file: string, _args: readonly string[]) => 'from-az\n');
    expect(await defaultTokenProvider({}, run)()).toBe('from-az');
    expect(run).toHaveBeenCalledWith('az', [
      'account',
      'get-access-token',
      '--resource',
      'https://monitor.azure.com',
      '--query',
      'accessToken',
      '--output',
      'tsv',
    ]);
  });

  test('fails with a usage error when the Azure CLI is missing', async () => {
    const run = async () => {
      throw Object.assign(new Error('spawn az ENOENT'), { code: 'ENOENT' });
    };
    await expect(azureCliTokenProvider(run)()).rejects.toThrow(UsageError);
    await expect(azureCliTokenProvider(run)()).rejects.toThrow(
      'set AZURE_MONITOR_TOKEN, or sign in with "az login" (the Azure CLI (az) is not installed',
    );
  });

  test('fails when the Azure CLI prints no token', async () => {
    await expect(azureCliTokenProvider(async () => '\n')()).rejects.toThrow(
      'az printed an empty access token',
    );
  });
});
