package dev.tracelake.parquet;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.dictionary.DictionaryValuesWriter;
import org.apache.parquet.column.values.dictionary.IntList;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.apache.parquet.io.api.Binary;

/**
 * A dictionary of binary values keyed by object identity rather than content: for the resource and
 * scope attributes, kilobytes of JSON that {@link SpanColumnWriter} prints once per resource or
 * scope and hands over as the same {@link Binary} on every row. parquet-java's own dictionary would
 * hash all of those bytes on every row; compressing them undictionaried costs as much in zstd.
 *
 * <p>Equal values in distinct objects get distinct entries, which readers do not mind: a dictionary
 * maps an index to a value, it need not be free of duplicates.
 */
final class IdentityDictionaryValuesWriter extends DictionaryValuesWriter {
  private final Map<Binary, Integer> ids = new IdentityHashMap<>();
  private final List<Binary> values = new ArrayList<>();

  IdentityDictionaryValuesWriter(
      int maxDictionaryByteSize,
      Encoding encodingForDataPage,
      Encoding encodingForDictionaryPage,
      ByteBufferAllocator allocator) {
    super(maxDictionaryByteSize, encodingForDataPage, encodingForDictionaryPage, allocator);
  }

  @Override
  public void writeBytes(Binary value) {
    Integer id = ids.get(value);
    if (id == null) {
      id = values.size();
      ids.put(value, id);
      values.add(value);
      dictionaryByteSize += 4L + value.length();
    }
    encodedValues.add(id);
  }

  @Override
  public DictionaryPage toDictPageAndClose() {
    if (lastUsedDictionarySize == 0) {
      return null;
    }
    PlainValuesWriter page =
        new PlainValuesWriter(lastUsedDictionaryByteSize, maxDictionaryByteSize, allocator);
    for (Binary value : values.subList(0, lastUsedDictionarySize)) {
      page.writeBytes(value);
    }
    return dictPage(page);
  }

  @Override
  protected int getDictionarySize() {
    return values.size();
  }

  @Override
  protected void clearDictionaryContent() {
    ids.clear();
    values.clear();
  }

  @Override
  protected void fallBackDictionaryEncodedData(ValuesWriter writer) {
    IntList.IntIterator iterator = encodedValues.iterator();
    while (iterator.hasNext()) {
      writer.writeBytes(values.get(iterator.next()));
    }
  }
}
