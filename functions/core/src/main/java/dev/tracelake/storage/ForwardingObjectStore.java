package dev.tracelake.storage;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** An object store passing every call to another: extend it to watch or alter some of them. */
public abstract class ForwardingObjectStore implements ObjectStore {
  private final ObjectStore delegate;

  protected ForwardingObjectStore(ObjectStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public void put(String key, byte[] content) {
    delegate.put(key, content);
  }

  @Override
  public List<StoredObject> list(String prefix) {
    return delegate.list(prefix);
  }

  @Override
  public Optional<byte[]> get(String key) {
    return delegate.get(key);
  }

  @Override
  public boolean download(String key, Path file) {
    return delegate.download(key, file);
  }

  @Override
  public void delete(Collection<String> keys) {
    delegate.delete(keys);
  }

  @Override
  public String location() {
    return delegate.location();
  }
}
