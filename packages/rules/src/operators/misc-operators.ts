import { defineOperator, eager } from '../define-operator.ts';
import { checkString } from '../evaluator.ts';

/** json-logic-js's `cat` is `Array.prototype.join`: null and undefined become "". */
function joinText(values: readonly unknown[]): string {
  return checkString(values.join(''));
}

/** `substr` with PHP-style negative lengths, exactly as json-logic-js does it. */
function substring(source: unknown, start: unknown, length: unknown): string {
  const text = String(source);
  if ((length as number) < 0) {
    const tail = text.substr(start as number);
    return tail.substr(0, tail.length + (length as number));
  }
  return text.substr(start as number, length as number);
}

/** The text operators of the standard and `log`. */
export const miscOperators = [
  defineOperator({
    name: 'cat',
    version: 1,
    arity: [0, Infinity],
    pure: true,
    doc: { 'zh-CN': '拼接为字符串', en: 'Concatenates into a string' },
    compile: eager((...values) => joinText(values)),
  }),
  defineOperator({
    name: 'substr',
    version: 1,
    arity: [2, 3],
    pure: true,
    doc: {
      'zh-CN': '子串：起点可为负；长度为负时从末尾去掉',
      en: 'Substring: negative start counts from the end; negative length trims the end',
    },
    compile: eager(substring),
  }),
  defineOperator({
    name: 'log',
    version: 1,
    arity: [1, 1],
    pure: false,
    usesEnv: true,
    doc: {
      'zh-CN': '把值交给上下文的 log 回调并原样返回',
      en: "Passes the value to the context's log callback and returns it",
    },
    compile: ([value]) => {
      const evaluate = value?.evaluate ?? (() => undefined);
      return (data, env) => {
        const result = evaluate(data, env);
        env.context.log?.(result);
        return result;
      };
    },
  }),
];
