import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { Order } from './order.ts';
import { Product } from './product.ts';
import { User } from './user.ts';

/** The accounts the README and the lessons tell students to log in with (outside production). */
export const demoUsers = {
  alice: { email: 'alice@example.com', password: 'alice-secret' },
  bob: { email: 'bob@example.com', password: 'bob-secret' },
} as const;

const demoProducts = [
  {
    owner: 'alice',
    title: 'A Great Book',
    price: 19.99,
    description: 'A page-turner about cookies, sessions and the servers that remember you.',
    imageUrl: '/images/book.svg',
  },
  {
    owner: 'alice',
    title: 'Coffee Mug',
    price: 9.5,
    description: 'Holds enough coffee for one long debugging session.',
    imageUrl: '/images/mug.svg',
  },
  {
    owner: 'alice',
    title: 'Desk Lamp',
    price: 34.0,
    description: 'Warm light for late nights, with an arm that stays where you put it.',
    imageUrl: '/images/lamp.svg',
  },
  {
    owner: 'bob',
    title: 'Houseplant',
    price: 14.25,
    description: 'A forgiving green friend that survives a forgotten watering or two.',
    imageUrl: '/images/plant.svg',
  },
  {
    owner: 'bob',
    title: 'Headphones',
    price: 59.9,
    description: 'Closed-back headphones that keep the open-plan office out.',
    imageUrl: '/images/headphones.svg',
  },
  {
    owner: 'bob',
    title: 'Backpack',
    price: 42.0,
    description: 'Room for a laptop, a charger and the book you keep meaning to read.',
    imageUrl: '/images/backpack.svg',
  },
] as const;

export interface DemoLogin {
  email: string;
  password: string;
}

export interface SeedOptions {
  bcryptRounds: number;
  /** Production: passwords the README prints would open the demo accounts to anyone, so each seed makes new ones. */
  generatePasswords: boolean;
}

async function createUser({ email, password }: DemoLogin, bcryptRounds: number) {
  return User.create({ email, password: await bcrypt.hash(password, bcryptRounds) });
}

/** Replaces all users, products and orders with the demo data, and answers how to log in. Sessions are left alone. */
export async function seed({ bcryptRounds, generatePasswords }: SeedOptions): Promise<DemoLogin[]> {
  await Promise.all([User.deleteMany({}), Product.deleteMany({}), Order.deleteMany({})]);
  const logins = { alice: demoLogin(demoUsers.alice, generatePasswords), bob: demoLogin(demoUsers.bob, generatePasswords) };
  const [alice, bob] = await Promise.all([createUser(logins.alice, bcryptRounds), createUser(logins.bob, bcryptRounds)]);
  const owners = { alice: alice._id, bob: bob._id };
  const products = await Product.insertMany(demoProducts.map(({ owner, ...product }) => ({ ...product, userId: owners[owner] })));
  // Lesson 1 sends a forger to Bob's orders: there must be something to see.
  const line = (title: string, quantity: number) => {
    const { _id, title: name, price, description, imageUrl } = products.find((product) => product.title === title)!;
    return { product: { productId: _id, title: name, price, description, imageUrl }, quantity };
  };
  const bobAsBuyer = { email: bob.email, userId: bob._id };
  await Order.insertMany([
    { user: bobAsBuyer, products: [line('Headphones', 1), line('Coffee Mug', 2)] },
    { user: bobAsBuyer, products: [line('A Great Book', 1)] },
  ]);
  return Object.values(logins);
}

/** Seeds a brand-new database and answers its logins; leaves one that already has users or products untouched. */
export async function seedIfEmpty(options: SeedOptions): Promise<DemoLogin[] | undefined> {
  const [anyUser, anyProduct] = await Promise.all([User.exists({}), Product.exists({})]);
  if (anyUser || anyProduct) return undefined;
  return seed(options);
}

/** `alice@example.com / secret or bob@example.com / secret`, for a console line. */
export function loginList(logins: readonly DemoLogin[]): string {
  return logins.map(({ email, password }) => `${email} / ${password}`).join(' or ');
}

function demoLogin({ email, password }: DemoLogin, generatePassword: boolean): DemoLogin {
  return { email, password: generatePassword ? randomBytes(12).toString('base64url') : password };
}
