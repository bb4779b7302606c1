/**
 * The JSONL format of a Q&A regression set: one item per line. A bad line is reported with its line
 * number and skipped so one typo does not hide the rest of the set; unknown fields are ignored so sets
 * can carry notes for their authors.
 */
import { z } from 'zod';

const ChatTurnSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string(),
});

const nonBlank = z.string().refine((value) => value.trim().length > 0, 'must not be blank');

export const EvalItemSchema = z
  .object({
    id: nonBlank,
    question: nonBlank,
    /** Strings that must all appear in a correct answer (after NFKC and whitespace removal). */
    facts: z.array(nonBlank),
    /** Exact substrings of the source text; a citation or retrieved chunk containing one is correct. */
    quotes: z.array(nonBlank),
    /**
     * The clause that answers, numbered as the document numbers it (第二十二条, (三)): a correct answer cites a
     * clause whose path holds it.
     */
    clause: nonBlank.optional(),
    /** The documents do not answer this; the correct result is status `not_found`. */
    unanswerable: z.boolean().optional(),
    tags: z.array(nonBlank).optional(),
    /** Earlier turns, oldest first, for follow-up questions. */
    history: z.array(ChatTurnSchema).optional(),
  })
  .refine((item) => item.unanswerable === true || item.facts.length > 0 || item.quotes.length > 0, {
    // Without facts or quotes any `answered` result would pass, which hides every regression.
    message: 'an answerable item needs at least one fact or quote',
  });

export type EvalItem = z.infer<typeof EvalItemSchema>;

export interface SetProblem {
  /** 1-based line number in the set file. */
  line: number;
  message: string;
}

export interface ParsedSet {
  items: EvalItem[];
  problems: SetProblem[];
}

export function parseSet(text: string): ParsedSet {
  const items: EvalItem[] = [];
  const problems: SetProblem[] = [];
  const lineOfId = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);

  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      problems.push({ line, message: `not valid JSON: ${(error as Error).message}` });
      return;
    }
    const parsed = EvalItemSchema.safeParse(value);
    if (!parsed.success) {
      const message = parsed.error.issues
        .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
        .join('; ');
      problems.push({ line, message });
      return;
    }
    const firstLine = lineOfId.get(parsed.data.id);
    if (firstLine !== undefined) {
      problems.push({ line, message: `duplicate id "${parsed.data.id}" (first on line ${firstLine})` });
      return;
    }
    lineOfId.set(parsed.data.id, line);
    items.push(parsed.data);
  });

  return { items, problems };
}
