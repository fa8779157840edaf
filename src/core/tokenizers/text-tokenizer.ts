// Text tokenizers through Hugging Face's own `tokenizers` bindings: load and save
// tokenizer.json, and train a byte-level BPE tokenizer from text.
import tk from 'tokenizers';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { Tokenizer, BPE, byteLevelPreTokenizer, byteLevelAlphabet } = tk;
type HFTokenizer = InstanceType<typeof Tokenizer>;

export interface BpeTrainOptions {
  /** total vocabulary, special tokens and the 256 byte symbols included */
  vocabSize: number;
  /** added first, in order (ids 0, 1, ...) */
  specialTokens?: string[];
}

export class TextTokenizer {
  private constructor(private readonly tok: HFTokenizer) {}

  static fromFile(path: string): TextTokenizer {
    return new TextTokenizer(Tokenizer.fromFile(path));
  }
  static fromJSON(json: string): TextTokenizer {
    return new TextTokenizer(Tokenizer.fromString(json));
  }

  /**
   * Trains a byte-level BPE (GPT-2 style pre-tokenization) on `texts`. The merges are
   * those of Hugging Face's BPE trainer; the vocabulary holds the special tokens, all
   * 256 byte symbols (so any text encodes), then the first merges up to vocabSize.
   */
  static trainBpe(texts: Iterable<string>, o: BpeTrainOptions): TextTokenizer {
    const specials = o.specialTokens ?? ['<|endoftext|>', '<|pad|>'];
    const alphabet = [...byteLevelAlphabet()].sort();
    const budget = o.vocabSize - specials.length - alphabet.length;
    if (budget < 0)
      throw new Error(
        `trainBpe: vocabSize ${o.vocabSize} is below ${specials.length + alphabet.length} (special tokens + 256 bytes)`,
      );
    const dir = mkdtempSync(join(tmpdir(), 'rlvr-bpe-'));
    let trained: { model: { merges: ([string, string] | string)[] } };
    try {
      const corpus = join(dir, 'corpus.txt');
      writeFileSync(corpus, [...texts].join('\n'));
      const t = new Tokenizer(BPE.empty());
      t.setPreTokenizer(byteLevelPreTokenizer(false, true));
      // The binding's trainer has no size option: it learns merges until none are left.
      // BPE is greedy, so the first K of them are exactly what a size-limited run learns.
      t.train([corpus]);
      t.save(join(dir, 'trained.json'));
      trained = JSON.parse(readFileSync(join(dir, 'trained.json'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const vocab: Record<string, number> = {};
    for (const s of [...specials, ...alphabet]) if (!(s in vocab)) vocab[s] = Object.keys(vocab).length;
    const merges: [string, string][] = [];
    for (const m of trained.model.merges) {
      if (merges.length >= budget) break;
      const [a, b] = typeof m === 'string' ? (m.split(' ') as [string, string]) : m;
      if (!(a + b in vocab)) vocab[a + b] = Object.keys(vocab).length;
      merges.push([a, b]);
    }
    const json = {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: specials.map((content, id) => ({
        id,
        content,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      })),
      normalizer: null,
      pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
      post_processor: null,
      decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: null,
        continuing_subword_prefix: null,
        end_of_word_suffix: null,
        fuse_unk: false,
        byte_fallback: false,
        ignore_merges: false,
        vocab,
        merges,
      },
    };
    return TextTokenizer.fromJSON(JSON.stringify(json));
  }

  /** Writes tokenizer.json. */
  save(path: string): void {
    this.tok.save(path, true);
  }

  async encode(text: string, addSpecialTokens = false): Promise<number[]> {
    return (await this.tok.encode(text, null, { addSpecialTokens })).getIds();
  }
  async encodeBatch(texts: string[], addSpecialTokens = false): Promise<number[][]> {
    if (texts.length === 0) return [];
    return (await this.tok.encodeBatch(texts, { addSpecialTokens })).map((e) => e.getIds());
  }
  decode(ids: number[], skipSpecialTokens = true): Promise<string> {
    return this.tok.decode(ids, skipSpecialTokens);
  }
  decodeBatch(ids: number[][], skipSpecialTokens = true): Promise<string[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.tok.decodeBatch(ids, skipSpecialTokens);
  }
  get vocabSize(): number {
    return this.tok.getVocabSize(true);
  }
  tokenToId(token: string): number | null {
    return this.tok.tokenToId(token);
  }
  idToToken(id: number): string | null {
    return this.tok.idToToken(id);
  }
}
