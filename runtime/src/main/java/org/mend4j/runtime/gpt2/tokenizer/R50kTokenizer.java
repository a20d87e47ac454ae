package org.mend4j.runtime.gpt2.tokenizer;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GPT-2's own vocabulary ({@code r50k_base}, shipped inside jtokkit), for checkpoints that come
 * without tokenizer files.
 */
final class R50kTokenizer implements Tokenizer {

  static final R50kTokenizer INSTANCE = new R50kTokenizer();

  private static final int END_OF_TEXT_ID = 50256;
  private static final Pattern SPECIAL = Pattern.compile(Pattern.quote(END_OF_TEXT));

  private final Encoding encoding =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.R50K_BASE);

  private static final Logger LOG = LoggerFactory.getLogger(R50kTokenizer.class);

  private R50kTokenizer() {}

  /** The tokenizer for {@code dir}, which has no tokenizer files: said in the log. */
  static R50kTokenizer without(Path dir) {
    LOG.info("{} has no tokenizer files: reading it with GPT-2's own r50k_base vocabulary", dir);
    return INSTANCE;
  }

  @Override
  public int[] encode(String text) {
    IntArrayList ids = new IntArrayList();
    Matcher m = SPECIAL.matcher(text);
    int start = 0;
    while (m.find()) {
      append(ids, encoding.encodeOrdinary(text.substring(start, m.start())));
      ids.add(END_OF_TEXT_ID);
      start = m.end();
    }
    append(ids, encoding.encodeOrdinary(text.substring(start)));
    return ids.toArray();
  }

  private static void append(IntArrayList to, IntArrayList from) {
    for (int i = 0; i < from.size(); i++) {
      to.add(from.get(i));
    }
  }

  @Override
  public String decode(int[] ids) {
    IntArrayList list = new IntArrayList(ids.length);
    for (int id : ids) {
      if (id < 0 || id > END_OF_TEXT_ID) {
        throw new IllegalArgumentException("token id " + id + " is not in r50k_base");
      }
      list.add(id);
    }
    return encoding.decode(list);
  }

  @Override
  public int endOfTextId() {
    return END_OF_TEXT_ID;
  }

  @Override
  public int vocabSize() {
    return END_OF_TEXT_ID + 1;
  }
}
