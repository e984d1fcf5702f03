/**
 * aws-cdk-lib validates every synthesized template against the CloudFormation schemas by default; the first
 * validation in a process costs 4-9 s and ~300 MB (../shared/REFERENCE.md, "AWS with aws-cdk-lib"). Unit
 * tests switch it off (`CDK_VALIDATION=false`, read by `defaultValidationEnabled` in
 * aws-cdk-lib/core/lib/private/synthesis-validation.js); `.ci/run` runs one strict `cdk synth` with it on.
 */
process.env.CDK_VALIDATION = 'false';
