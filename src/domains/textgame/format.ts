// The ByteSized32 state-prediction format, exactly as the published data writes it, so the
// built-in games, the real evaluation set, one model and one reward all share these types.

/** One object of a game state. `contains` lists the names (not uuids) of direct children. */
export interface TgObject {
  name: string; // "light bulb (ID: 2)"
  uuid: number;
  type: string; // class name, e.g. "LightBulb"
  properties: Record<string, unknown>;
  contains: string[];
}

export interface TgState {
  observation: string;
  look: string;
  inventory: string;
  taskDesc: string;
  lastAction: string;
  objects: TgObject[];
  max_UUID: number;
}

export interface TgScore {
  score: number;
  gameOver: boolean;
  gameWon: boolean;
}

/** One line of a ByteSized32 JSONL file. tick_state (after the action and one world tick) is what is predicted. */
export interface TgTransition {
  current_state: TgState;
  action_state: TgState;
  tick_state: TgState;
  current_score_state: TgScore;
  next_score_state: TgScore;
  game: string;
  state_id: number;
}

/** What the model predicts: the difference between the current and the next state. */
export interface TgDiff {
  modified: TgObject[];
  removed: number[];
  score: TgScore | Record<string, never>;
}
