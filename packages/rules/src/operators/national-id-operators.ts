import { isValidNationalId, nationalIdBirthDate, nationalIdGender } from '../cn-national-id.ts';
import { argumentAt, defineOperator, eager } from '../define-operator.ts';
import { dateDiff, todayOf } from './date-operators.ts';

/** Joinery's helpers for Chinese resident identity numbers (身份证号). */
export const nationalIdOperators = [
  defineOperator({
    name: 'cn_id_valid',
    version: 1,
    arity: [1, 1],
    pure: true,
    doc: {
      'zh-CN': '身份证号是否有效（18 位、出生日期与校验位正确）',
      en: 'Whether a national ID is valid (18 characters, birth date and check digit)',
    },
    compile: eager(isValidNationalId),
  }),
  defineOperator({
    name: 'cn_id_birth_date',
    version: 1,
    arity: [1, 1],
    pure: true,
    doc: { 'zh-CN': '身份证号中的出生日期', en: 'Birth date (YYYY-MM-DD) from a national ID' },
    compile: eager(nationalIdBirthDate),
  }),
  defineOperator({
    name: 'cn_id_gender',
    version: 1,
    arity: [1, 1],
    pure: true,
    doc: {
      'zh-CN': '身份证号对应的性别（male/female）',
      en: 'Gender (male/female) from a national ID',
    },
    compile: eager(nationalIdGender),
  }),
  defineOperator({
    name: 'cn_id_age',
    version: 1,
    arity: [1, 2],
    pure: false,
    usesEnv: true,
    doc: {
      'zh-CN': '按身份证号计算周岁（可指定基准日期，默认今天）',
      en: 'Age in whole years from a national ID (as of a date, default today)',
    },
    compile: (args) => {
      const id = argumentAt(args, 0);
      const asOf = args[1]?.evaluate;
      return (data, env) => {
        const birth = nationalIdBirthDate(id(data, env));
        if (birth === null) return null;
        return dateDiff(birth, asOf ? asOf(data, env) : todayOf(env), 'year');
      };
    },
  }),
];
