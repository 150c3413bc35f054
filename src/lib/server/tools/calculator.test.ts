import { describe, it, expect } from 'vitest';
import { calculate, CalculatorError, evaluateExpression, MAX_EXPRESSION_LENGTH, MAX_NESTING_DEPTH } from './calculator';

/** Asserts that evaluating `expression` throws a CalculatorError with exactly `message`. */
function expectError(expression: string, message: string) {
	let caught: unknown;
	try {
		evaluateExpression(expression);
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(CalculatorError);
	expect((caught as CalculatorError).message).toBe(message);
}

describe('evaluateExpression: numbers', () => {
	it.each([
		['3', 3],
		['3.5', 3.5],
		['.5', 0.5],
		['5.', 5],
		['1e3', 1000],
		['2.5E-2', 0.025],
		['1e+2', 100],
		['  42  ', 42],
		['007', 7]
	])('%s = %s', (expression, expected) => {
		expect(evaluateExpression(expression)).toBe(expected);
	});
});

describe('evaluateExpression: operators and precedence', () => {
	it.each([
		['1 + 2', 3],
		['5 - 8', -3],
		['6 * 7', 42],
		['7 / 2', 3.5],
		['7 % 3', 1],
		['-7 % 3', -1],
		['5.5 % 2', 1.5],
		['1 + 2 * 3', 7],
		['(1 + 2) * 3', 9],
		['2 * 3 + 4 * 5', 26],
		['10 - 4 / 2', 8],
		['1 + 10 % 4', 3],
		['2 * 3 ^ 2', 18],
		['(2 * 3) ^ 2', 36],
		['((((1))))', 1],
		['2 * (3 + (4 - 1)) / 3', 4]
	])('%s = %s', (expression, expected) => {
		expect(evaluateExpression(expression)).toBe(expected);
	});

	it('is left-associative for + - * / %', () => {
		expect(evaluateExpression('10 - 3 - 2')).toBe(5);
		expect(evaluateExpression('100 / 10 / 5')).toBe(2);
		expect(evaluateExpression('2 / 4 * 8')).toBe(4);
		expect(evaluateExpression('17 % 10 % 4')).toBe(3);
		expect(evaluateExpression('1 - 2 + 3')).toBe(2);
	});

	it('accepts × and ÷ (and the Unicode minus) as aliases', () => {
		expect(evaluateExpression('6 × 7')).toBe(42);
		expect(evaluateExpression('84 ÷ 2')).toBe(42);
		expect(evaluateExpression('50 − 8')).toBe(42);
	});

	it('ignores any whitespace', () => {
		expect(evaluateExpression('\t1+\n2 *3 ')).toBe(7);
		expect(evaluateExpression('1+2*3')).toBe(7);
	});
});

describe('evaluateExpression: power and unary signs', () => {
	it.each([
		['2 ^ 10', 1024],
		['2 ** 10', 1024],
		['2 ^ 3 ^ 2', 512],
		['2 ** 3 ** 2', 512],
		['(2 ^ 3) ^ 2', 64],
		['-2 ^ 2', -4],
		['-2 ** 2', -4],
		['(-2) ^ 2', 4],
		['2 ^ -1', 0.5],
		['-2 ^ -2', -0.25],
		['2 ^ -1 ^ 2', 0.5],
		['4 ^ 0.5', 2],
		['-3', -3],
		['+3', 3],
		['--3', 3],
		['-+-3', 3],
		['2 - -3', 5],
		['2 * -3', -6],
		['-(2 + 3)', -5],
		['-0', 0]
	])('%s = %s', (expression, expected) => {
		expect(evaluateExpression(expression)).toBe(expected);
	});

	it('returns 0 rather than -0', () => {
		expect(Object.is(evaluateExpression('-0'), 0)).toBe(true);
		expect(Object.is(evaluateExpression('0 * -1'), 0)).toBe(true);
	});
});

describe('evaluateExpression: constants and functions', () => {
	it('knows pi and e, case-insensitively', () => {
		expect(evaluateExpression('pi')).toBe(Math.PI);
		expect(evaluateExpression('e')).toBe(Math.E);
		expect(evaluateExpression('2 * PI')).toBe(2 * Math.PI);
		expect(evaluateExpression('-e')).toBe(-Math.E);
	});

	it.each([
		['sqrt(16)', 4],
		['abs(-3.5)', 3.5],
		['round(2.5)', 3],
		['round(-2.5)', -3],
		['round(2.4)', 2],
		['round(3.14159, 2)', 3.14],
		['round(1.005, 2)', 1.01],
		['round(1e-7, 3)', 0],
		['floor(-2.5)', -3],
		['ceil(2.1)', 3],
		['min(3, 1, 2)', 1],
		['max(3, 1, 2)', 3],
		['min(5)', 5],
		['max(-1, -2)', -1],
		['sin(0)', 0],
		['cos(0)', 1],
		['tan(0)', 0],
		['log(1000)', 3],
		['ln(e)', 1],
		['exp(0)', 1],
		['Sqrt(9)', 3],
		['sqrt(3 ^ 2 + 4 ^ 2)', 5],
		['max(1, 2) * min(3, 4)', 6],
		['-sqrt(4)', -2],
		['sqrt(4) ^ 2', 4]
	])('%s = %s', (expression, expected) => {
		expect(evaluateExpression(expression)).toBe(expected);
	});

	it('uses radians for trigonometry', () => {
		expect(evaluateExpression('sin(pi / 2)')).toBe(1);
		expect(evaluateExpression('cos(pi)')).toBe(-1);
		expect(evaluateExpression('tan(pi / 4)')).toBeCloseTo(1, 12);
	});

	it('checks the number of arguments', () => {
		expectError('sqrt(1, 2)', 'sqrt() takes 1 argument but got 2, at position 1');
		expectError('sqrt()', 'sqrt() takes 1 argument but got 0, at position 1');
		expectError('1 + max()', 'max() takes at least 1 argument but got 0, at position 5');
		expectError('round(1, 2, 3)', 'round() takes 1 to 2 arguments but got 3, at position 1');
	});

	it('checks the digits of round()', () => {
		expectError('round(1, 1.5)', 'round() takes a whole number of digits from 0 to 15');
		expectError('round(1, -1)', 'round() takes a whole number of digits from 0 to 15');
		expectError('round(1, 16)', 'round() takes a whole number of digits from 0 to 15');
	});
});

describe('evaluateExpression: errors', () => {
	it('rejects unexpected tokens with their position', () => {
		expectError('1 + )', 'Unexpected ")" at position 5');
		expectError('(1+)', 'Unexpected ")" at position 4');
		expectError('2 3', 'Unexpected "3" at position 3');
		expectError('1 * * 2', 'Unexpected "*" at position 5');
		expectError('2pi', 'Unexpected "pi" at position 2');
		expectError('(1)(2)', 'Unexpected "(" at position 4');
		expectError('1 ,2', 'Unexpected "," at position 3');
		expectError('1.2.3', 'Unexpected ".3" at position 4');
		expectError('pi(2)', 'Unexpected "(" at position 3');
		expectError('2 ^ ^ 3', 'Unexpected "^" at position 5');
	});

	it('rejects a premature end', () => {
		expectError('1 +', 'Unexpected end of expression at position 4');
		expectError('-', 'Unexpected end of expression at position 2');
		expectError('2 ^', 'Unexpected end of expression at position 4');
		expectError('max(1,', 'Unexpected end of expression at position 7');
	});

	it('rejects unbalanced parentheses', () => {
		expectError('(1 + 2', 'Missing ")" for the "(" at position 1');
		expectError('2 * (3 + (4)', 'Missing ")" for the "(" at position 5');
		expectError('sqrt(4', 'Missing ")" for the "(" at position 5');
		expectError('(1 + 2))', 'Unexpected ")" at position 8');
		expectError('()', 'Unexpected ")" at position 2');
	});

	it('rejects unknown characters and names', () => {
		expectError('1 $ 2', 'Unexpected character "$" at position 3');
		expectError('1 = 1', 'Unexpected character "=" at position 3');
		expectError('foo', 'Unknown name "foo" at position 1');
		expectError('2 * foo(3)', 'Unknown name "foo" at position 5');
		expectError('x + 1', 'Unknown name "x" at position 1');
		expectError('constructor', 'Unknown name "constructor" at position 1');
		expectError('__proto__', 'Unknown name "__proto__" at position 1');
		expectError('toString(1)', 'Unknown name "toString" at position 1');
	});

	it('requires parentheses after a function name', () => {
		expectError('sqrt 4', 'Expected "(" after the function "sqrt" at position 6');
		expectError('sqrt', 'Expected "(" after the function "sqrt" at position 5');
	});

	it('rejects division and remainder by zero', () => {
		expectError('1 / 0', 'Division by zero');
		expectError('1 / (2 - 2)', 'Division by zero');
		expectError('0 / 0', 'Division by zero');
		expectError('5 % 0', 'Division by zero');
	});

	it('rejects non-finite results, including intermediate ones', () => {
		expectError('10 ^ 400', 'The result is not a finite number');
		expectError('1e999', 'The result is not a finite number');
		expectError('exp(1000)', 'The result is not a finite number');
		expectError('sqrt(-1)', 'The result is not a finite number');
		expectError('log(0)', 'The result is not a finite number');
		expectError('ln(-1)', 'The result is not a finite number');
		expectError('1 / 10 ^ 400', 'The result is not a finite number');
		expectError('(-8) ^ (1 / 3)', 'The result is not a finite number');
	});

	it('rejects an empty expression', () => {
		expectError('', 'The expression is empty');
		expectError('   \n\t', 'The expression is empty');
	});

	it('rejects a non-string expression', () => {
		expect(() => evaluateExpression(42 as unknown as string)).toThrow(new CalculatorError('The expression must be a string'));
	});

	it('caps the length at MAX_EXPRESSION_LENGTH characters', () => {
		expect(MAX_EXPRESSION_LENGTH).toBe(1000);
		const atCap = '1+'.repeat(499) + '1 ';
		expect(atCap).toHaveLength(MAX_EXPRESSION_LENGTH);
		expect(evaluateExpression(atCap)).toBe(500);
		expectError(atCap + ' ', 'The expression is too long (at most 1000 characters)');
		expectError(' '.repeat(1001), 'The expression is too long (at most 1000 characters)');
	});

	it('caps the nesting depth at MAX_NESTING_DEPTH', () => {
		expect(MAX_NESTING_DEPTH).toBe(100);
		const nest = (depth: number) => '('.repeat(depth) + '1' + ')'.repeat(depth);
		expect(evaluateExpression(nest(MAX_NESTING_DEPTH))).toBe(1);
		expectError(nest(MAX_NESTING_DEPTH + 1), 'The expression is nested too deeply (more than 100 levels) at position 101');
	});

	it('counts unary signs, exponents and function calls towards the depth', () => {
		expect(evaluateExpression('-'.repeat(100) + '1')).toBe(1);
		expectError('-'.repeat(101) + '1', 'The expression is nested too deeply (more than 100 levels) at position 101');
		expect(() => evaluateExpression('1' + '^1'.repeat(101))).toThrow(/nested too deeply/);
		const calls = 'abs('.repeat(101) + '1' + ')'.repeat(101);
		expect(() => evaluateExpression(calls)).toThrow(/nested too deeply/);
	});

	it('throws errors that are Errors named CalculatorError', () => {
		try {
			evaluateExpression('1/0');
			expect.unreachable();
		} catch (error) {
			expect(error).toBeInstanceOf(Error);
			expect(error).toBeInstanceOf(CalculatorError);
			expect((error as Error).name).toBe('CalculatorError');
		}
	});
});

describe('calculate', () => {
	it('echoes the expression with its result', () => {
		expect(calculate({ expression: '2 * (3 + 4)' })).toEqual({
			expression: '2 * (3 + 4)',
			result: 14
		});
	});

	it('propagates calculator errors', () => {
		expect(() => calculate({ expression: '1 +' })).toThrow(CalculatorError);
	});
});
