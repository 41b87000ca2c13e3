package io.conclave.aggregator.streams;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * Caps the off-heap memory of the join stores. Kafka Streams gives each store (one per partition of
 * {@code conclave.join}, 8 here) its own 50 MB block cache and three 16 MB memtables, which put the aggregator near
 * 400 MB RSS in the benchmark (issue 7); the open joins it holds are small and short-lived. All stores of the
 * process share one cache of {@value #TOTAL_BYTES} bytes that also accounts for their memtables, as Kafka's
 * memory-management guide does it.
 *
 * <p>The cache is static because Kafka Streams instantiates this class once per store by reflection and the point is
 * one budget for all of them.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    static final long TOTAL_BYTES = 16L * 1024 * 1024;
    private static final long MEMTABLE_BYTES = 4L * 1024 * 1024;
    private static final Cache CACHE;
    private static final WriteBufferManager WRITE_BUFFERS;

    static {
        // Kafka Streams may build this class before it has opened a store, so before RocksDB's native library is in.
        RocksDB.loadLibrary();
        CACHE = new LRUCache(TOTAL_BYTES, -1, false, 0.1);
        WRITE_BUFFERS = new WriteBufferManager(TOTAL_BYTES / 2, CACHE);
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(CACHE);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(WRITE_BUFFERS);
        options.setWriteBufferSize(MEMTABLE_BYTES);
        options.setMaxWriteBufferNumber(2);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write-buffer manager are shared by every store of the process: never closed here.
    }
}
