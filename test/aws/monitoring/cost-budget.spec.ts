import * as sns from 'aws-cdk-lib/aws-sns';
import { CostBudget } from '../../../constructs/aws/monitoring';
import { awsStack, templateOf } from '../../helpers/aws';
import { exactly } from '../../helpers/errors';

describe('CostBudget', () => {
  test('defaults: monthly COST budget, 80 % and 100 % actual and 100 % forecast, no start date', () => {
    // GIVEN
    const stack = awsStack();
    // WHEN
    new CostBudget(stack, 'Budget', { amount: 2000, emails: ['finops@example.com'] });
    // THEN
    const subscribers = [{ SubscriptionType: 'EMAIL', Address: 'finops@example.com' }];
    const notification = (type: string, threshold: number) => ({
      Notification: {
        NotificationType: type,
        ComparisonOperator: 'GREATER_THAN',
        Threshold: threshold,
        ThresholdType: 'PERCENTAGE',
      },
      Subscribers: subscribers,
    });
    templateOf(stack).hasResourceProperties('AWS::Budgets::Budget', {
      Budget: {
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: 2000, Unit: 'USD' },
      },
      NotificationsWithSubscribers: [
        notification('ACTUAL', 80),
        notification('ACTUAL', 100),
        notification('FORECASTED', 100),
      ],
    });
  });

  test('all props: name, currency, thresholds, the SNS topic and a tag filter', () => {
    const stack = awsStack();
    const topic = new sns.Topic(stack, 'Topic');
    const budget = new CostBudget(stack, 'Budget', {
      amount: 500,
      currency: 'EUR',
      budgetName: 'llmops-aws-dev',
      thresholdsPercent: [50],
      forecastThresholdsPercent: [90, 110],
      emails: ['finops@example.com'],
      topic,
      tagFilter: { key: 'environment', value: 'aws-dev' },
    });
    expect(budget.thresholdsPercent).toEqual([50]);
    const subscribers = [
      { SubscriptionType: 'EMAIL', Address: 'finops@example.com' },
      { SubscriptionType: 'SNS', Address: { Ref: stack.getLogicalId(topic.node.defaultChild as never) } },
    ];
    templateOf(stack).hasResourceProperties('AWS::Budgets::Budget', {
      Budget: {
        BudgetName: 'llmops-aws-dev',
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: 500, Unit: 'EUR' },
        CostFilters: { TagKeyValue: ['user:environment$aws-dev'] },
      },
      NotificationsWithSubscribers: [
        {
          Notification: {
            NotificationType: 'ACTUAL',
            ComparisonOperator: 'GREATER_THAN',
            Threshold: 50,
            ThresholdType: 'PERCENTAGE',
          },
          Subscribers: subscribers,
        },
        {
          Notification: {
            NotificationType: 'FORECASTED',
            ComparisonOperator: 'GREATER_THAN',
            Threshold: 90,
            ThresholdType: 'PERCENTAGE',
          },
          Subscribers: subscribers,
        },
        {
          Notification: {
            NotificationType: 'FORECASTED',
            ComparisonOperator: 'GREATER_THAN',
            Threshold: 110,
            ThresholdType: 'PERCENTAGE',
          },
          Subscribers: subscribers,
        },
      ],
    });
  });

  test('fails when the amount, thresholds, subscribers or filter are invalid, listing every problem', () => {
    expect(
      () =>
        new CostBudget(awsStack(), 'Budget', {
          amount: 0,
          currency: 'usd',
          budgetName: 'a:b',
          thresholdsPercent: [80, 80, 0],
          forecastThresholdsPercent: [1001],
          emails: ['nope'],
          tagFilter: { key: 'a$b', value: 'x' },
        }),
    ).toThrow(
      exactly(
        [
          'Invalid CostBudget "Test/Budget":',
          '  - props.amount: 0 must be a positive amount',
          '  - props.currency: "usd" is not a currency code (e.g. "USD")',
          `  - props.budgetName: "a:b" must be 1-100 characters without ':' or '\\'`,
          '  - props.thresholdsPercent[1]: 80 is listed twice',
          '  - props.thresholdsPercent[2]: 0 is out of range: must be above 0 and at most 1000 (percent of the amount)',
          '  - props.forecastThresholdsPercent[0]: 1001 is out of range: must be above 0 and at most 1000 (percent of the amount)',
          '  - props.emails[0]: "nope" is not an email address',
          `  - props.tagFilter.key: "a$b" must be 1-128 characters without '$'`,
        ].join('\n'),
      ),
    );
  });

  test('fails when nobody is notified or there are too many notifications', () => {
    expect(
      () =>
        new CostBudget(awsStack(), 'Budget', {
          amount: 10,
          thresholdsPercent: [10, 20, 30, 40, 50, 60],
          forecastThresholdsPercent: [70, 80, 90, 100, 110],
        }),
    ).toThrow(
      exactly(
        [
          'Invalid CostBudget "Test/Budget":',
          '  - props.thresholdsPercent: 6 actual + 5 forecast = 11 notifications, more than the 10 AWS Budgets allows per budget',
          '  - props.emails: [] and no topic: give email addresses, a topic or both, or the budget notifies nobody',
        ].join('\n'),
      ),
    );
  });
});
