package dev.courier.benchmarks.perf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Command line of the perf tool. Every option is {@code --name=value} (or a bare flag):
 * <pre>
 *   --broker=embedded|standin|external   where to send (default embedded; --bootstrap-servers implies external)
 *   --bootstrap-servers=host:port        an external cluster
 *   --quick                              1 round, a quarter of the records, 2 s fixed-rate runs
 *   --full                               linger.ms x batch.size as a full cross product (32 cells, not 16)
 *   --rounds=N                           measured rounds per client and cell (default 3)
 *   --warmups=N                          unrecorded rounds per client before each cell (default 3; 1 with --quick)
 *   --scale=F                            multiplies the record counts (default 1)
 *   --cells=REGEX                        only cells whose label matches (e.g. "100B.*none")
 *   --weak-cells                         only issue 16's weak cells: 1 KiB acks=all linger=5 batch=64K none and the
 *                                        two fixed-rate runs; 5 rounds unless --rounds says otherwise; results go
 *                                        to results/&lt;broker&gt;-weak (with --broker=standin --scale=4: about 3 minutes)
 *   --rate=N --rate-seconds=S            the fixed-rate runs (default 20000 records/s for 5 s)
 *   --idempotence=true|false             enable.idempotence for the acks=all cells (default true, as in
 *                                        Kafka; the acks=1 cells always run with false, which Kafka requires)
 *   --partitions=N                       partitions per topic (default 6)
 *   --out=DIR                            where results go (default results/&lt;broker&gt;)
 *   --only=courier|kafka                 run one client only (for profiling; ratios are then meaningless)
 *   --tls                                the TLS cells instead (100 B and 1 KiB, acks=all, linger=5 batch=64K, none
 *                                        and lz4) against the embedded broker's SSL listener (results/embedded-tls)
 *                                        or, with --broker=standin, the stand-in's TLS listener (results/standin-tls),
 *                                        both clients with the same TLS settings (TLSv1.3, hostname verification on)
 *   --mode=transactions                  transactions of 1,000 x 100 B instead of the matrix (see TransactionPerf;
 *                                        embedded or external broker; results in results/transactions)
 *   --mode=timings-overhead              Courier with delivery.timings.enable on vs off in the throughput cells
 *                                        (see TimingsOverhead; results in results/timings-overhead)
 * </pre>
 */
record PerfOptions(String broker, String bootstrapServers, boolean quick, boolean full, int rounds, int warmups,
                   double scale,
                   Pattern cells, int rate, int rateSeconds, boolean idempotence, int partitions, Path out, ClientKind only,
                   boolean tls, List<String> rawArgs, String mode) {

    /** {@code --mode=transactions}: {@link TransactionPerf} instead of the matrix. */
    static final String TRANSACTIONS = "transactions";
    /** {@code --mode=timings-overhead}: {@link TimingsOverhead} instead of the matrix. */
    static final String TIMINGS_OVERHEAD = "timings-overhead";

    /** The cells of {@code --weak-cells}: where issue 16 found Courier weak or swinging against the stand-in. */
    static final String WEAK_CELLS = "^1KiB acks=all linger=5 batch=64K none idem$|@";

    static PerfOptions parse(String[] args) {
        String broker = "embedded";
        String bootstrap = null;
        boolean quick = false;
        boolean full = false;
        Integer rounds = null;
        Integer warmups = null;
        double scale = 1;
        Pattern cells = null;
        int rate = 20_000;
        Integer rateSeconds = null;
        boolean idempotence = true;
        int partitions = 6;
        Path out = null;
        ClientKind only = null;
        boolean tls = false;
        String mode = "matrix";
        boolean weak = false;
        List<String> unknown = new ArrayList<>();
        for (String arg : args) {
            if (arg.isBlank()) {
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            String value = eq < 0 ? "" : arg.substring(eq + 1);
            switch (name) {
                case "--broker" -> broker = value;
                case "--bootstrap-servers" -> {
                    bootstrap = value;
                    broker = "external";
                }
                case "--quick" -> quick = true;
                case "--full" -> full = true;
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--warmups" -> warmups = Integer.parseInt(value);
                case "--scale" -> scale = Double.parseDouble(value);
                case "--cells" -> cells = Pattern.compile(value);
                case "--rate" -> rate = Integer.parseInt(value);
                case "--rate-seconds" -> rateSeconds = Integer.parseInt(value);
                case "--idempotence" -> idempotence = Boolean.parseBoolean(value);
                case "--partitions" -> partitions = Integer.parseInt(value);
                case "--out" -> out = Path.of(value);
                case "--only" -> only = value.equalsIgnoreCase("courier") ? ClientKind.COURIER : ClientKind.KAFKA;
                case "--tls" -> tls = true;
                case "--mode" -> mode = value;
                case "--weak-cells" -> weak = true;
                default -> unknown.add(arg);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + unknown + "; see PerfOptions' Javadoc");
        }
        if (!List.of("embedded", "standin", "external").contains(broker)) {
            throw new IllegalArgumentException("--broker must be embedded, standin or external: " + broker);
        }
        if (broker.equals("external") && bootstrap == null) {
            throw new IllegalArgumentException("--broker=external needs --bootstrap-servers=host:port");
        }
        if (tls && broker.equals("external")) {
            throw new IllegalArgumentException("--tls runs against the embedded broker or the stand-in only");
        }
        if (!List.of("matrix", TRANSACTIONS, TIMINGS_OVERHEAD).contains(mode)) {
            throw new IllegalArgumentException("--mode must be matrix, transactions or timings-overhead: " + mode);
        }
        if (mode.equals(TRANSACTIONS) && (tls || broker.equals("standin"))) {
            throw new IllegalArgumentException("--mode=transactions needs a real broker (embedded or external), "
                    + "without --tls: the stand-in does not speak the transaction APIs");
        }
        if (weak && (cells != null || tls || full || !mode.equals("matrix"))) {
            throw new IllegalArgumentException("--weak-cells picks its own cells: no --cells, --tls, --full or --mode with it");
        }
        String outName = tls ? broker + "-tls" : weak ? broker + "-weak" : mode.equals("matrix") ? broker : mode;
        if (warmups != null && warmups < 1) {
            throw new IllegalArgumentException("--warmups must be at least 1: " + warmups);
        }
        return new PerfOptions(broker, bootstrap, quick, full, rounds != null ? rounds : quick ? 1 : weak ? 5 : 3,
                warmups != null ? warmups : quick ? 1 : 3,
                quick ? scale / 4 : scale, weak ? Pattern.compile(WEAK_CELLS) : cells, rate,
                rateSeconds != null ? rateSeconds : quick ? 2 : 5, idempotence,
                partitions, out != null ? out : Path.of("results", outName), only, tls, List.of(args), mode);
    }

    boolean transactionsMode() {
        return mode.equals(TRANSACTIONS);
    }

    /** The matrix, in run order: throughput cells, then the fixed-rate latency runs. */
    List<Cell> matrix() {
        List<Cell> matrix = new ArrayList<>();
        if (tls) {
            for (int size : new int[] {100, 1024}) {
                int records = (int) Math.max(1000, (size == 100 ? 400_000 : 160_000) * scale);
                for (String compression : new String[] {"none", "lz4"}) {
                    add(matrix, new Cell(Cell.TLS, size, "all", 5, 65_536, compression, idempotence, 0, records));
                }
            }
            return matrix;
        }
        int[][] lingerBatch = full
                ? new int[][] {{0, 16_384}, {0, 65_536}, {5, 16_384}, {5, 65_536}}
                : new int[][] {{0, 16_384}, {5, 65_536}};
        for (int size : new int[] {100, 1024}) {
            int records = (int) Math.max(1000, (size == 100 ? 400_000 : 160_000) * scale);
            for (String acks : new String[] {"1", "all"}) {
                for (int[] lb : lingerBatch) {
                    for (String compression : new String[] {"none", "lz4"}) {
                        boolean idem = idempotence && acks.equals("all");
                        add(matrix, new Cell("throughput", size, acks, lb[0], lb[1], compression, idem, 0, records));
                    }
                }
            }
        }
        int rateRecords = rate * rateSeconds;
        for (int linger : new int[] {0, 5}) {
            add(matrix, new Cell("fixed-rate", 100, "all", linger, 16_384, "none", idempotence, rate, rateRecords));
        }
        return matrix;
    }

    private void add(List<Cell> matrix, Cell cell) {
        if (cells == null || cells.matcher(cell.label()).find()) {
            matrix.add(cell);
        }
    }
}
