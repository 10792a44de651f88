/**
 * Prompts for the demo traffic: a long support-bot system prompt, internal
 * documents to summarize, tickets to classify, agent tasks and tools. Built
 * from fixed text plus seeded filler, so a seeded demo sends the same bytes
 * and repeated prompts really are identical (which is what caching keys on).
 */
import type { Rng } from './random.ts';
import { sentence } from './text.ts';

export const SUPPORT_QUESTIONS = [
  'I was charged twice for my subscription this month. Can you fix that?',
  'How do I reset my password? The link in the email has expired.',
  'Can I move my workspace to the EU region?',
  'The export to CSV keeps timing out for large projects.',
  'Our invoices should show our VAT number. Where do I add it?',
  'How do I add a teammate without giving them billing access?',
  'The API returns 401 even though I just created the key.',
  'Can I downgrade to the Starter plan in the middle of a billing cycle?',
  'My dashboard has shown no data since yesterday afternoon.',
  'Is there a way to get a refund for seats we no longer use?',
  'Where can I find the audit log for my organization?',
  'The mobile app crashes when I open the settings page.',
];

export const FOLLOW_UPS = [
  'Thanks, that helped. One more question about the same account.',
  'That did not work, I still see the same error.',
  'Can you escalate this to a human agent?',
  'Could you explain that in simpler terms?',
  'How long will that take to go through?',
  'Will this affect the other people on my team?',
];

export const TICKETS = [
  'The new dashboard is fantastic, thanks for shipping it so quickly!',
  'Still waiting for my refund after two weeks. This is unacceptable.',
  'How do I change the email address we use for billing?',
  'Order 48213 arrived with a cracked screen.',
  'Your support agent solved my problem in five minutes. Great job.',
  'The app logs me out every few minutes since the last update.',
  'Can you add dark mode to the desktop client?',
  'I love the product but the price increase is hard to justify.',
  'Package marked delivered but nothing arrived.',
  'Please cancel my subscription effective immediately.',
  'Integration with our CRM works perfectly now.',
  'Why was my card declined when it works everywhere else?',
  'The documentation for webhooks is outdated.',
  'Thanks for the quick replacement, everything works.',
  'I have been charged for a plan I never selected.',
  'Is there a discount for non-profit organizations?',
];

export const AGENT_TASKS = [
  'Find all orders from ACME Corp in the last 30 days and flag any that are overdue.',
  'Look up customer C-4821 and open a ticket about their failed payment.',
  'Check the shipping status of order 77120 and draft a reply to the customer.',
  'List open orders for Globex and escalate anything older than a week.',
  'Find the customer behind order 50211 and create a high priority ticket for the missing item.',
];

export const RESPONSES_TOOLS = [
  {
    type: 'function',
    name: 'search_orders',
    description: 'Search orders by customer name, status and age.',
    parameters: {
      type: 'object',
      properties: {
        customer: { type: 'string', description: 'Customer or company name' },
        status: { type: 'string', enum: ['open', 'shipped', 'overdue'] },
        days: { type: 'integer', description: 'How many days back to search' },
      },
      required: ['customer'],
    },
  },
  {
    type: 'function',
    name: 'get_customer',
    description: 'Fetch a customer record by id.',
    parameters: {
      type: 'object',
      properties: { customer_id: { type: 'string' } },
      required: ['customer_id'],
    },
  },
  {
    type: 'function',
    name: 'create_ticket',
    description: 'Open a support ticket for a customer.',
    parameters: {
      type: 'object',
      properties: {
        customer_id: { type: 'string' },
        priority: { type: 'string', enum: ['low', 'normal', 'high'] },
        summary: { type: 'string' },
      },
      required: ['customer_id', 'summary'],
    },
  },
];

/** The same tools in Anthropic's shape (input_schema instead of parameters). */
export const ANTHROPIC_TOOLS = RESPONSES_TOOLS.map(({ name, description, parameters }) => ({
  name,
  description,
  input_schema: parameters,
}));

function paragraphs(rng: Rng, count: number, sentencesEach: number): string {
  const out: string[] = [];
  for (let p = 0; p < count; p++) {
    const lines = Array.from({ length: sentencesEach }, () => sentence(rng));
    out.push(`${p + 1}. ${lines.join(' ')}`);
  }
  return out.join('\n\n');
}

/** About 1,700 tokens: long enough that both providers cache it. */
export function supportSystemPrompt(rng: Rng): string {
  return [
    'You are Ava, the customer support assistant for Northwind Cloud, a project management product.',
    'Answer politely and concisely, cite the relevant policy section, and never invent account details.',
    'If a request involves refunds above $500, legal matters or account deletion, offer to escalate to a human.',
    '',
    'Support policy handbook:',
    paragraphs(rng, 24, 4),
  ].join('\n');
}

export function agentSystemPrompt(rng: Rng): string {
  return [
    'You are an operations agent with access to the order and ticketing systems.',
    'Use the tools to gather facts before acting, and summarize what you did at the end.',
    '',
    'Operating procedures:',
    paragraphs(rng, 14, 4),
  ].join('\n');
}

/** Internal documents of roughly 1,500 to 5,000 tokens. */
export function documents(rng: Rng, count: number): string[] {
  const titles = [
    'Quarterly business review',
    'Incident postmortem',
    'Vendor contract',
    'Product requirements',
    'Security audit',
  ];
  return Array.from({ length: count }, (_, index) => {
    const title = `${titles[index % titles.length]} #${index + 1}`;
    return `${title}\n\n${paragraphs(rng, rng.int(12, 40), rng.int(5, 8))}`;
  });
}
