import type { Faker } from '@faker-js/faker';
import { nationalIdCheckChar } from '@joinery/forms';

/** Region codes (行政区划代码) of real prefecture-level cities, with their names. */
export const CITIES: readonly (readonly [code: string, name: string])[] = [
  ['110105', '北京市'],
  ['310115', '上海市'],
  ['440106', '广州市'],
  ['440305', '深圳市'],
  ['330106', '杭州市'],
  ['320106', '南京市'],
  ['510107', '成都市'],
  ['500103', '重庆市'],
  ['420106', '武汉市'],
  ['610113', '西安市'],
  ['430104', '长沙市'],
  ['370212', '青岛市'],
  ['350203', '厦门市'],
  ['410105', '郑州市'],
  ['120104', '天津市'],
  ['210106', '沈阳市'],
  ['530102', '昆明市'],
  ['450103', '南宁市'],
  ['340104', '合肥市'],
  ['360103', '南昌市'],
];

/**
 * A fake but valid 18-character national ID number: a real region code, the birth date, a
 * sequence whose last digit carries the gender (odd: male), and the ISO 7064 MOD 11-2 check
 * character computed by the form engine's own `nationalIdCheckChar`.
 */
export function fakeNationalId(region: string, birthDate: string, sequence: number): string {
  const first17 = `${region}${birthDate.replaceAll('-', '')}${String(sequence % 1000).padStart(3, '0')}`;
  const check = nationalIdCheckChar(first17);
  if (check === null) throw new RangeError(`not an ID number prefix: ${first17}`);
  return `${first17}${check}`;
}

/**
 * A unique fake mobile number for the `index`-th customer: a real-looking prefix and nine
 * digits from a bijection of the index (48271 is prime to 10^9), so numbers never repeat.
 */
export function fakeMobile(faker: Faker, index: number): string {
  const prefix = faker.helpers.arrayElement(['13', '15', '17', '18', '19']);
  return `${prefix}${String((index * 48_271 + 12_345) % 1_000_000_000).padStart(9, '0')}`;
}

/**
 * A fake bank card number (62 = UnionPay) with a valid Luhn check digit, as the template's
 * `bank_account` fields (`luhn: true`) require.
 */
export function fakeBankCard(faker: Faker): string {
  const body = `62${faker.string.numeric(15)}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let digit = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}
