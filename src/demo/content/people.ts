// Invented names for bylines, sources and athletes. Names are assembled from common given and family names
// per region so that a source quoted in Nairobi sounds like someone from Nairobi; any resemblance to a real
// person is a coincidence of common names, and no one is ever given a real public role.

import type { Rng } from './prng.ts';

export type NameRegion =
  | 'jp'
  | 'en'
  | 'nordic'
  | 'slavic'
  | 'central-asia'
  | 'caucasus'
  | 'mongolia'
  | 'east-africa'
  | 'west-africa'
  | 'latam'
  | 'iberia'
  | 'west-europe'
  | 'vietnam'
  | 'indonesia';

interface NamePool {
  given: readonly string[];
  family: readonly string[];
  familyFirst?: boolean;
  /** Given names that take the feminine family-name form (Sorokin -> Sorokina) where the language has one. */
  feminine?: readonly string[];
}

const POOLS: Record<NameRegion, NamePool> = {
  jp: {
    given: [
      'Aiko',
      'Haruto',
      'Mei',
      'Sota',
      'Yui',
      'Kenji',
      'Naoko',
      'Ren',
      'Emi',
      'Takumi',
      'Sayaka',
      'Daisuke',
    ],
    family: [
      'Tanabe',
      'Morikawa',
      'Ishida',
      'Kuroda',
      'Nakano',
      'Fujisawa',
      'Arai',
      'Hoshino',
      'Sugimura',
      'Okabe',
    ],
  },
  en: {
    given: [
      'Chloe',
      'Owen',
      'Isla',
      'Finn',
      'Maya',
      'Theo',
      'Hannah',
      'Callum',
      'Priya',
      'Marcus',
      'Ruth',
      'Ellis',
    ],
    family: [
      'Whitcombe',
      'Ashdown',
      'Pemberton',
      'Marsh',
      'Quinn',
      'Brennan',
      'Hale',
      'Lowther',
      'Oduya',
      'Kerr',
    ],
  },
  nordic: {
    given: ['Ingrid', 'Lars', 'Sigrid', 'Eirik', 'Maren', 'Jonas', 'Solveig', 'Halvard'],
    family: ['Lindqvist', 'Haugen', 'Berglund', 'Solheim', 'Dahl', 'Aasen', 'Nyberg'],
  },
  slavic: {
    given: ['Anya', 'Pavel', 'Irina', 'Oleg', 'Vera', 'Artem', 'Polina', 'Gleb'],
    family: ['Sorokin', 'Belov', 'Kuznetsov', 'Lebedev', 'Zaitsev', 'Orlov', 'Gromov'],
    feminine: ['Anya', 'Irina', 'Vera', 'Polina'],
  },
  'central-asia': {
    given: ['Saule', 'Aziz', 'Dilnoza', 'Farrukh', 'Madina', 'Rustam', 'Zarina', 'Timur'],
    family: ['Rahimov', 'Khamidov', 'Nurlanov', 'Sadykov', 'Yusupov', 'Abenov', 'Davletov'],
    feminine: ['Saule', 'Dilnoza', 'Madina', 'Zarina'],
  },
  caucasus: {
    given: ['Nino', 'Giorgi', 'Tamar', 'Levan', 'Ana', 'Davit', 'Salome', 'Irakli'],
    family: ['Beridze', 'Kapanadze', 'Lomidze', 'Jorbenadze', 'Gelashvili', 'Natsvlishvili'],
  },
  mongolia: {
    given: ['Oyuna', 'Bataa', 'Saruul', 'Temuulen', 'Anu', 'Enkhjin'],
    family: ['Batbayar', 'Ganbold', 'Erdenebat', 'Tserendorj', 'Altangerel'],
  },
  'east-africa': {
    given: ['Wanjiru', 'Amani', 'Achieng', 'Baraka', 'Nyambura', 'Otieno', 'Zawadi', 'Jabali'],
    family: ['Kamau', 'Mwangi', 'Odhiambo', 'Wambui', 'Cheruiyot', 'Njoroge', 'Kiprono'],
  },
  'west-africa': {
    given: ['Kofi', 'Ama', 'Kwame', 'Efua', 'Yaw', 'Abena', 'Kojo', 'Adjoa'],
    family: ['Mensah', 'Boateng', 'Owusu', 'Asante', 'Appiah', 'Ofori', 'Darko'],
  },
  latam: {
    given: ['Lucia', 'Mateo', 'Valentina', 'Joaquin', 'Camila', 'Diego', 'Renata', 'Santiago'],
    family: ['Alvarez', 'Quispe', 'Herrera', 'Mendoza', 'Paredes', 'Figueroa', 'Salazar'],
  },
  iberia: {
    given: ['Ines', 'Tomas', 'Beatriz', 'Rui', 'Marta', 'Joao', 'Catarina', 'Nuno'],
    family: ['Ferreira', 'Costa', 'Barbosa', 'Pinheiro', 'Moura', 'Teixeira', 'Valente'],
  },
  'west-europe': {
    given: ['Camille', 'Jonas', 'Elena', 'Luca', 'Sophie', 'Matthias', 'Clara', 'Pieter'],
    family: ['Dubois', 'Keller', 'Rossi', 'Vermeulen', 'Brunner', 'Lambert', 'Moretti'],
  },
  vietnam: {
    given: ['Minh Chau', 'Thu Ha', 'Quang Huy', 'Bao Ngoc', 'Duc Anh', 'Lan Phuong'],
    family: ['Tran', 'Pham', 'Le', 'Vu', 'Dang', 'Bui'],
    familyFirst: true,
  },
  indonesia: {
    given: ['Dewi', 'Rizky', 'Ayu', 'Bima', 'Sari', 'Fajar', 'Intan', 'Yoga'],
    family: ['Santoso', 'Pratama', 'Wijaya', 'Hidayat', 'Kusuma', 'Nugroho'],
  },
};

export function personName(rng: Rng, region: NameRegion): string {
  const pool = POOLS[region];
  const given = rng.pick(pool.given);
  const base = rng.pick(pool.family);
  const family = pool.feminine?.includes(given) && /(ov|ev|in)$/.test(base) ? `${base}a` : base;
  return pool.familyFirst ? `${family} ${given}` : `${given} ${family}`;
}

/**
 * The name used on second reference ("Kamau said"). The last word works for every pool: the family name in
 * given-first pools, and the everyday given name in family-first (Vietnamese) ones.
 */
export function shortName(fullName: string): string {
  return fullName.slice(fullName.lastIndexOf(' ') + 1);
}

/** `count` different names from one region (e.g. two officials quoted in one story). */
export function distinctNames(rng: Rng, region: NameRegion, count: number): string[] {
  const names = new Set<string>();
  for (let guard = 0; names.size < count && guard < 50; guard++) names.add(personName(rng, region));
  return [...names];
}
