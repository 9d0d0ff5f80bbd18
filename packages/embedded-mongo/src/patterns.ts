import { $dateFromString, $ifNull } from 'mingo/operators/expression';
import { $all } from 'mingo/operators/query/array';
import { $in, $nin } from 'mingo/operators/query/comparison';
import { $regex } from 'mingo/operators/query/evaluation';
import type { Any, Options } from 'mingo/types';
import { RE2JS } from 're2js';
import { badValue } from './errors.ts';
import { isPlainObject } from './documents.ts';
import { checkTimeLimit } from './time-limit.ts';

/*
 * Every regular expression a client sends runs on RE2 (its JavaScript port, re2js): time linear in
 * the input whatever the pattern, so neither `{$regex: '^(a+)+$'}` nor a `$regexMatch` with a
 * lookahead can hold the server for seconds. Backreferences and lookarounds cannot run in linear
 * time: patterns using them are refused with BadValue (2), never handed to a backtracking engine.
 */

const RE2_FLAGS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL };

// Aggregation compiles its pattern once per document: most pipelines use one or two patterns.
const compiled = new Map<string, RE2JS>();

/** The one place the server compiles a client's pattern. `flags` are MongoDB's options (i, m, s; u is implied). */
export function compileLinear(source: string, flags: string, operator: string): RE2JS {
  const key = `${flags}/${source}`;
  let re2 = compiled.get(key);
  if (re2) return re2;
  try {
    re2 = RE2JS.compile(source, [...flags].reduce((all, flag) => all | (RE2_FLAGS[flag] ?? 0), 0));
  } catch (error) {
    throw badValue(`${operator} /${source}/${flags} is not supported by the embedded server, which matches in linear time (no backreferences or lookarounds): ${(error as Error).message}`);
  }
  if (compiled.size >= 100) compiled.clear();
  compiled.set(key, re2);
  return re2;
}

/**
 * A RegExp that matches with RE2, for mingo's query operators. mingo only calls exec() and test()
 * (which calls exec()), so overriding exec() is enough.
 */
class LinearRegExp extends RegExp {
  readonly #re2: RE2JS;

  constructor(pattern: RegExp) {
    super(pattern);
    this.#re2 = compileLinear(pattern.source, pattern.flags, '$regex');
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

type ExpressionOperator = (obj: Any, expr: Any, options: Options) => Any;
interface RegexMatch {
  match: string;
  idx: number;
  captures: (string | null)[];
}

/** An expression's arguments, evaluated against the document as mingo evaluates them ($ifNull of one value is that value). */
const evaluate = (obj: Any, expr: Any, options: Options): Any => $ifNull(obj as never, [expr], options);

/**
 * $regexFind, $regexFindAll and $regexMatch on RE2. mingo's own build a backtracking RegExp from
 * the client's pattern, and its $regexFindAll never ends on a pattern that matches the empty string.
 */
function regexSearch(operator: string, all: boolean): (obj: Any, expr: Any, options: Options) => RegexMatch[] {
  return (obj, expr, options) => {
    const args = evaluate(obj, expr, options);
    if (!isPlainObject(args)) throw badValue(`${operator} expects an object of named arguments`);
    const { input, regex, options: extra = '' } = args;
    if (input === null || input === undefined || regex === null || regex === undefined) return [];
    if (typeof input !== 'string') throw badValue(`${operator} needs 'input' to be of type string`);
    if (typeof regex !== 'string' && !(regex instanceof RegExp)) throw badValue(`${operator} needs 'regex' to be of type string or regex`);
    if (typeof extra !== 'string') throw badValue(`${operator} needs 'options' to be of type string`);
    const flags = (regex instanceof RegExp ? regex.flags : '') + extra;
    if (/[^imsu]/.test(flags)) throw badValue(`${operator} invalid flag in regex options: ${flags} (the embedded server supports i, m and s)`);
    const matcher = compileLinear(typeof regex === 'string' ? regex : regex.source, flags, operator).matcher(input);
    const matches: RegexMatch[] = [];
    while (matcher.find()) {
      checkTimeLimit(); // an empty-matching pattern finds one match per character
      const captures = Array.from({ length: matcher.groupCount() }, (_, group) => matcher.group(group + 1));
      matches.push({ match: matcher.group() ?? '', idx: matcher.start(), captures });
      if (!all) break;
    }
    return matches;
  };
}

const find = regexSearch('$regexFind', false);
const findAll = regexSearch('$regexFindAll', true);
const match = regexSearch('$regexMatch', false);

// Characters that would make the pattern mingo builds from a $dateFromString format something else than literal text.
const PATTERN_SYNTAX = /[\\^$|?*+()[\]{}]/;

/** mingo builds a RegExp from a $dateFromString format, its literal text unescaped: such text is refused. */
const dateFromString: ExpressionOperator = (obj, expr, options) => {
  const args = evaluate(obj, expr, options);
  if (!isPlainObject(args)) throw badValue('$dateFromString expects an object of named arguments');
  if (typeof args.format === 'string' && PATTERN_SYNTAX.test(args.format)) {
    throw badValue(`$dateFromString format ${JSON.stringify(args.format)} is not supported by the embedded server: the text between its % specifiers may not use \\ ^ $ | ? * + ( ) [ ] { }`);
  }
  // Already evaluated: handed on as literals, so nothing is evaluated twice.
  return $dateFromString(obj as never, Object.fromEntries(Object.entries(args).map(([name, value]) => [name, { $literal: value }])) as never, options);
};

/** mingo's expression operators that build regular expressions from what a client sent, replaced. */
export const linearPatternExpressions: Record<string, ExpressionOperator> = {
  $regexFind: (obj, expr, options) => find(obj, expr, options)[0] ?? null,
  $regexFindAll: findAll,
  $regexMatch: (obj, expr, options) => match(obj, expr, options).length > 0,
  $dateFromString: dateFromString,
};
