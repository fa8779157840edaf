// The registry of built-in games: name -> factory(variant). A variant number seeds the small
// differences in initial conditions (distractors, start temperatures, where things are).
import type { GameFactory } from '../engine/game.js';
import { BoilWater } from './boil-water.js';
import { ChargePhone } from './charge-phone.js';
import { GrowPlant } from './grow-plant.js';
import { LightBulb } from './light-bulb.js';
import { MakeIce } from './make-ice.js';
import { MakeSalad } from './make-salad.js';
import { MixPaint } from './mix-paint.js';
import { RefrigerateFood } from './refrigerate-food.js';
import { SortItems } from './sort-items.js';
import { WashClothes } from './wash-clothes.js';

export type { GameFactory } from '../engine/game.js';

export const GAMES: Record<string, GameFactory> = {
  'boil-water': (v) => new BoilWater(v),
  'make-ice': (v) => new MakeIce(v),
  'light-bulb': (v) => new LightBulb(v),
  'make-salad': (v) => new MakeSalad(v),
  'grow-plant': (v) => new GrowPlant(v),
  'sort-items': (v) => new SortItems(v),
  'refrigerate-food': (v) => new RefrigerateFood(v),
  'charge-phone': (v) => new ChargePhone(v),
  'wash-clothes': (v) => new WashClothes(v),
  'mix-paint': (v) => new MixPaint(v),
};
