import { $all } from 'mingo/operators/query/array';
import { $in, $nin } from 'mingo/operators/query/comparison';
import { $regex } from 'mingo/operators/query/evaluation';
import type { Any, Options } from 'mingo/types';
import { RE2JS } from 're2js';
import { badValue } from './errors.ts';

const RE2_FLAGS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL };

/**
 * A RegExp that matches with RE2 (its JavaScript port, re2js): time linear in the input whatever
 * the pattern, so `{$regex: '^(a+)+$'}` cannot hold the server for seconds. mingo only calls exec()
 * and test() (which calls exec()), so overriding exec() is enough. Backreferences and lookarounds
 * cannot run in linear time: such patterns are refused.
 */
class LinearRegExp extends RegExp {
  readonly #re2: RE2JS;

  constructor(pattern: RegExp) {
    super(pattern);
    try {
      this.#re2 = RE2JS.compile(pattern.source, [...pattern.flags].reduce((all, flag) => all | (RE2_FLAGS[flag] ?? 0), 0));
    } catch (error) {
      throw badValue(`$regex ${String(pattern)} is not supported by the embedded server, which matches in linear time (no backreferences or lookarounds): ${(error as Error).message}`);
    }
  }

  override exec(input: string): RegExpExecArray | null {
    const matcher = this.#re2.matcher(input);
    if (!matcher.find()) return null;
    return Object.assign([matcher.group() ?? ''], { index: matcher.start(), input, groups: undefined }) as RegExpExecArray;
  }
}

const linear = (value: Any): Any => (value instanceof RegExp ? new LinearRegExp(value) : value);
const eachLinear = (value: Any): Any => (Array.isArray(value) ? value.map(linear) : value);

type QueryOperator = (selector: string, value: Any, options: Options) => (doc: Record<string, Any>) => boolean;
const withPatterns = (operator: QueryOperator, convert: (value: Any) => Any): QueryOperator => (selector, value, options) => operator(selector, convert(value), options);

/**
 * mingo's query operators that take regular expressions (`{f: /re/}` is `{f: {$regex: /re/}}` to
 * mingo), given linear-time ones instead. mingo copies a query's RegExps as plain ones first, so
 * the swap has to happen where an operator receives its operand.
 */
export const linearPatternOperators = {
  $regex: withPatterns($regex, linear),
  $in: withPatterns($in, eachLinear),
  $nin: withPatterns($nin, eachLinear),
  $all: withPatterns($all, eachLinear),
};
