/**
 * An AWS consumer of the installed package (`npm run test:package` compiles and runs it next to
 * `main.ts`, in a project that installed the tarball with its peers, the optional aws-cdk-lib and cdk-nag
 * included): a chat and an embedding model behind a guardrail and a vector collection in a plain
 * aws-cdk-lib `Stack`, checked by the package's AWS policy (cdk-nag's AwsSolutions pack and the own
 * rules), imported by the package's entry points only. It synthesizes into `cdk.out/`.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BedrockModel, Guardrail } from 'llmops-platform/constructs/aws/models';
import { AwsPolicy } from 'llmops-platform/constructs/aws/policy';
import { VectorCollection } from 'llmops-platform/constructs/aws/search';

const app = new App({ outdir: 'cdk.out' });
// Account-agnostic (region only): synthesizes without credentials.
const stack = new Stack(app, 'team-rag-aws', { env: { region: 'us-east-1' } });

const chat = new BedrockModel(stack, 'Chat', {
  modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
  crossRegion: 'us',
  tags: { environment: 'team-rag' },
});
const embedding = new BedrockModel(stack, 'Embedding', { modelId: 'amazon.titan-embed-text-v2:0' });
const strict = new Guardrail(stack, 'Strict', { contextualGrounding: { grounding: 0.8, relevance: 0.5 } });
// Not public: only Amazon Bedrock (a knowledge base) reaches it.
const collection = new VectorCollection(stack, 'Collection', { collectionName: 'team-rag' });

const appRole = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
chat.grantInvoke(appRole, { guardrail: strict }); // only requests that apply the strict guardrail
embedding.grantInvoke(appRole);
collection.grantRead(appRole);

// The package's AWS policy; synth fails on any finding that is not acknowledged with a reason.
const policy = AwsPolicy.apply(app);
app.synth();
for (const line of policy.summary()) console.log(line);
