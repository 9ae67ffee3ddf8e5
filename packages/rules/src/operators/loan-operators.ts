import { argumentAt, defineOperator } from '../define-operator.ts';
import { chargeSteps } from '../evaluator.ts';
import { loanSchedule } from '../loan-schedule.ts';

/**
 * Joinery's loan operators. `loan_schedule` turns a loan's terms into its repayment schedule, a
 * list of rows (period, due_date, principal, interest, payment, balance) that an automation
 * action writes into a subform (`set_rows`). Each row counts one step against the budget.
 */
export const loanOperators = [
  defineOperator({
    name: 'loan_schedule',
    version: 1,
    arity: [5, 5],
    pure: true,
    usesEnv: true,
    doc: {
      'zh-CN':
        '还款计划：[本金, 年化利率%, 期数, "equal_instalment"|"equal_principal"|"interest_first", 首期还款日]，精确到分',
      en: 'Repayment schedule: [principal, APR %, term, "equal_instalment"|"equal_principal"|"interest_first", first due date], exact to the cent',
    },
    compile: (args) => {
      const principal = argumentAt(args, 0);
      const apr = argumentAt(args, 1);
      const term = argumentAt(args, 2);
      const method = argumentAt(args, 3);
      const firstDue = argumentAt(args, 4);
      return (data, env) => {
        const rows = loanSchedule({
          principal: principal(data, env),
          apr: apr(data, env),
          term: term(data, env),
          method: method(data, env),
          firstDue: firstDue(data, env),
        });
        if (rows) chargeSteps(env, rows.length);
        return rows;
      };
    },
  }),
];
