/**
 * Knowledge-edit datasets in EasyEdit's JSON formats: CounterFact ({@link
 * org.mend4j.runtime.data.CounterFactRecord}), zsRE ({@link org.mend4j.runtime.data.ZsreRecord}),
 * the common view both map to ({@link org.mend4j.runtime.data.EditCase}), and the knowledge world's
 * fact file ({@link org.mend4j.runtime.data.FactRecord}).
 *
 * <p>Readers stream the top-level JSON array, accept unknown fields (EasyEdit's files carry extra
 * ones) and reject a record with a missing, empty or mistyped required field with a {@link
 * org.mend4j.runtime.data.MalformedRecordException} naming the file, the record index and the
 * field.
 */
package org.mend4j.runtime.data;
