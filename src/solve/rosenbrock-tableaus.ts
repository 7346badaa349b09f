/**
 * Coefficients of Rosenbrock methods of the Rodas family, as data. The stage equations are
 * written in the transformed variables k_i of Hairer & Wanner ("Solving ODEs II", 2nd ed.,
 * §IV.7, eq. (7.4')), which avoid matrix–vector products with J:
 *
 *   (I/(hγ) − J)·k_i = f(t + c_i h, y + Σ_{j<i} a_ij k_j) + Σ_{j<i} (C_ij / h) k_j + h·d_i·∂f/∂t,
 *
 * with y_{n+1} = y + Σ_{j<6} a_6j k_j + k_6 (stiffly accurate: the last stage is the solution)
 * and the embedded error estimate equal to k_6.
 */

export interface RodasTableau {
  readonly name: string;
  /** Where the coefficients come from. */
  readonly source: string;
  /** Classical order of the solution and of the embedded estimate. */
  readonly order: number;
  readonly gamma: number;
  /** Stage abscissae c_2..c_4 (c_5 = c_6 = 1). */
  readonly c: readonly [number, number, number];
  /** d_i = Σ_j γ_ij for stages 1..4 (0 for stages 5, 6): the ∂f/∂t coefficients. */
  readonly d: readonly [number, number, number, number];
  /** a_ij, rows 2..5, row-wise: a21; a31 a32; a41 a42 a43; a51 a52 a53 a54. */
  readonly a: readonly number[];
  /** C_ij, rows 2..6, row-wise: C21; C31 C32; …; C61 … C65. */
  readonly C: readonly number[];
  /** Dense-output coefficients: θ-polynomial terms Σ h2_j k_j and Σ h3_j k_j over stages 1..5. */
  readonly h2: readonly [number, number, number, number, number];
  readonly h3: readonly [number, number, number, number, number];
}

/**
 * RODAS4: 6 stages, order 4 with embedded order 3, L-stable and stiffly accurate, with an
 * order-3 continuous extension. Hairer & Wanner, "Solving ODEs II", 2nd ed. (1996), §VI.4
 * (method RODAS), coefficient set of the code RODAS for METH = 1.
 */
export const RODAS4: RodasTableau = {
  name: 'Rodas4',
  source: 'Hairer & Wanner, Solving ODEs II (1996), §IV.7 and §VI.4; coefficients of the code RODAS, METH = 1',
  order: 4,
  gamma: 0.25,
  c: [0.386, 0.21, 0.63],
  d: [0.25, -0.1043, 0.1035, -0.0362],
  a: [
    1.544,
    0.9466785280815826, 0.2557011698983284,
    3.314825187068521, 2.896124015972201, 0.9986419139977817,
    1.221224509226641, 6.019134481288629, 12.53708332932087, -0.687886036105895,
  ],
  C: [
    -5.6688,
    -2.430093356833875, -0.2063599157091915,
    -0.1073529058151375, -9.594562251023355, -20.47028614809616,
    7.496443313967647, -10.24680431464352, -33.99990352819905, 11.7089089320616,
    8.083246795921522, -7.981132988064893, -31.52159432874371, 16.31930543123136, -6.058818238834054,
  ],
  h2: [10.12623508344586, -7.487995877610167, -34.80091861555747, -7.992771707568823, 1.025137723295662],
  h3: [-0.6762803392801253, 6.087714651680015, 16.43084320892478, 24.76722511418386, -6.594389125716872],
};

/**
 * RODAS4P: the RODAS structure with coefficients chosen by Steinebach (1995, "Order-reduction of
 * ROW-methods for DAEs and method of lines applications", Preprint 1741, TH Darmstadt) so that
 * the method keeps order 3 on the Prothero–Robinson test equation y' = λ(y − g) + g' for any
 * hλ; this removes the order reduction that makes RODAS4's error estimate stagnate on very stiff
 * problems at tight tolerances. Order 4(3), L-stable, stiffly accurate, order-3 dense output.
 */
export const RODAS4P: RodasTableau = {
  name: 'Rodas4P',
  source: 'Steinebach (1995), Preprint 1741, TH Darmstadt; RODAS structure of Hairer & Wanner (1996)',
  order: 4,
  gamma: 0.25,
  c: [0.75, 0.21, 0.63],
  d: [0.25, -0.5, -0.023504, -0.0362],
  a: [
    3,
    1.831036793486759, 0.4955183967433795,
    2.304376582692669, -0.05249275245743001, -1.176798761832782,
    -7.170454962423024, -4.741636671481785, -16.31002631330971, -1.062004044111401,
  ],
  C: [
    -12,
    -8.791795173947035, -2.207865586973518,
    10.81793056857153, 6.780270611428266, 19.5348594464241,
    34.19095006749676, 15.49671153725963, 54.7476087596413, 14.16005392148534,
    34.62605830930532, 15.30084976114473, 56.99955578662667, 18.40807009793095, -5.714285714285717,
  ],
  h2: [25.09876703708589, 11.62013104361867, 28.49148307714626, -5.664021568594133, 0],
  h3: [1.638054557396973, -0.7373619806678748, 8.47791821923899, 15.9925314877952, -1.882352941176471],
};
