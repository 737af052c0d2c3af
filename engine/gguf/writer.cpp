#include "gguf/writer.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <unordered_set>

#include "gguf/reader.h"

namespace lathe {
namespace {

// Buffered little-endian output to a FILE*, remembering the first failure.
class Output {
 public:
  explicit Output(std::FILE* f) : f_(f) {}
  void bytes(const void* p, size_t n) {
    if (ok_ && n > 0 && std::fwrite(p, 1, n, f_) != n) ok_ = false;
    written_ += n;
  }
  template <class T>
  void pod(T v) { bytes(&v, sizeof v); }
  void string(const std::string& s) {
    pod<uint64_t>(s.size());
    bytes(s.data(), s.size());
  }
  void pad_to(uint64_t alignment) {
    static const uint8_t zeros[256] = {};
    uint64_t n = (alignment - written_ % alignment) % alignment;
    while (n > 0) {
      uint64_t k = std::min<uint64_t>(n, sizeof zeros);
      bytes(zeros, k);
      n -= k;
    }
  }
  bool ok() const { return ok_; }
  uint64_t written() const { return written_; }

 private:
  std::FILE* f_;
  bool ok_ = true;
  uint64_t written_ = 0;
};

void write_array(Output& out, const GgufArray& a) {
  out.pod<uint32_t>(static_cast<uint32_t>(a.type));
  out.pod<uint64_t>(a.count);
  if (a.type == GgufType::string) {
    for (const std::string& s : a.strings) out.string(s);
  } else if (a.type == GgufType::array) {
    for (const GgufArray& inner : a.arrays) write_array(out, inner);
  } else {
    out.bytes(a.packed.data(), a.packed.size());
  }
}

void write_value(Output& out, const GgufValue& v) {
  switch (v.type) {
    case GgufType::u8: out.pod<uint8_t>(static_cast<uint8_t>(std::get<uint64_t>(v.data))); break;
    case GgufType::u16: out.pod<uint16_t>(static_cast<uint16_t>(std::get<uint64_t>(v.data))); break;
    case GgufType::u32: out.pod<uint32_t>(static_cast<uint32_t>(std::get<uint64_t>(v.data))); break;
    case GgufType::u64: out.pod<uint64_t>(std::get<uint64_t>(v.data)); break;
    case GgufType::i8: out.pod<int8_t>(static_cast<int8_t>(std::get<int64_t>(v.data))); break;
    case GgufType::i16: out.pod<int16_t>(static_cast<int16_t>(std::get<int64_t>(v.data))); break;
    case GgufType::i32: out.pod<int32_t>(static_cast<int32_t>(std::get<int64_t>(v.data))); break;
    case GgufType::i64: out.pod<int64_t>(std::get<int64_t>(v.data)); break;
    case GgufType::f32: out.pod<float>(static_cast<float>(std::get<double>(v.data))); break;
    case GgufType::f64: out.pod<double>(std::get<double>(v.data)); break;
    case GgufType::boolean: out.pod<uint8_t>(std::get<bool>(v.data) ? 1 : 0); break;
    case GgufType::string: out.string(std::get<std::string>(v.data)); break;
    case GgufType::array: write_array(out, std::get<GgufArray>(v.data)); break;
  }
}

// A value whose variant does not hold what its type says would be written wrongly: refuse it.
bool value_consistent(const GgufValue& v) {
  switch (v.type) {
    case GgufType::u8:
    case GgufType::u16:
    case GgufType::u32:
    case GgufType::u64: return std::holds_alternative<uint64_t>(v.data);
    case GgufType::i8:
    case GgufType::i16:
    case GgufType::i32:
    case GgufType::i64: return std::holds_alternative<int64_t>(v.data);
    case GgufType::f32:
    case GgufType::f64: return std::holds_alternative<double>(v.data);
    case GgufType::boolean: return std::holds_alternative<bool>(v.data);
    case GgufType::string: return std::holds_alternative<std::string>(v.data);
    case GgufType::array: {
      const GgufArray* a = v.as_array();
      if (!a) return false;
      if (a->type == GgufType::string) return a->strings.size() == a->count;
      if (a->type == GgufType::array) return a->arrays.size() == a->count;
      return a->packed.size() == a->count * gguf_type_size(a->type);
    }
  }
  return false;
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

void GgufWriter::set(const std::string& key, GgufValue value) {
  for (auto& [k, v] : metadata_) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  metadata_.emplace_back(key, std::move(value));
}

Result<void> GgufWriter::set_alignment(uint32_t alignment) {
  if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
    return make_error("gguf writer: alignment {} is not a power of two", alignment);
  }
  alignment_ = alignment;
  if (alignment != kGgufDefaultAlignment) set("general.alignment", GgufValue::u32(alignment));
  return {};
}

Result<void> GgufWriter::add_tensor(std::string name, std::vector<uint64_t> ne, DType type, Fill fill) {
  if (name.empty() || name.size() > kGgufMaxName) {
    return make_error("gguf writer: tensor name '{}' must be 1 to {} bytes", name, kGgufMaxName);
  }
  for (const Tensor& t : tensors_) {
    if (t.name == name) return make_error("gguf writer: tensor '{}' added twice", name);
  }
  if (ne.empty() || ne.size() > static_cast<size_t>(kGgufMaxDims)) {
    return make_error("gguf writer: tensor '{}' has {} dimensions; 1 to {} are allowed", name, ne.size(),
                      kGgufMaxDims);
  }
  const DTypeInfo& info = dtype_info(type);
  if (ne[0] % info.block_size != 0) {
    return make_error("gguf writer: tensor '{}' has rows of {} values, not a multiple of {}'s block of {}",
                      name, ne[0], info.name, info.block_size);
  }
  uint64_t elements = 1;
  for (uint64_t d : ne) {
    if (__builtin_mul_overflow(elements, d, &elements)) {
      return make_error("gguf writer: tensor '{}' is too large", name);
    }
  }
  tensors_.push_back({std::move(name), std::move(ne), type, elements / info.block_size * info.type_size,
                      std::move(fill)});
  return {};
}

Result<void> GgufWriter::add_tensor(std::string name, std::vector<uint64_t> ne, DType type,
                                    std::vector<uint8_t> bytes) {
  auto shared = std::make_shared<std::vector<uint8_t>>(std::move(bytes));
  std::string label = name;
  LATHE_CHECK(add_tensor(std::move(name), std::move(ne), type, [shared, label](std::span<uint8_t> out) -> Result<void> {
    if (out.size() != shared->size()) {
      return make_error("gguf writer: tensor '{}' has {} bytes of data, its shape needs {}", label,
                        shared->size(), out.size());
    }
    std::memcpy(out.data(), shared->data(), out.size());
    return {};
  }));
  return {};
}

Result<void> GgufWriter::copy_from(const GgufFile& file) {
  for (const auto& [key, value] : file.metadata()) set(key, value);
  if (file.alignment() != alignment_) LATHE_CHECK(set_alignment(static_cast<uint32_t>(file.alignment())));
  for (const GgufTensorInfo& t : file.tensors()) {
    std::span<const uint8_t> data = file.tensor_data(t);
    // The file must outlive write(): copy_from keeps a view, not a copy.
    LATHE_CHECK(add_tensor(t.name, std::vector<uint64_t>(t.ne, t.ne + t.n_dims), t.type,
                           [data](std::span<uint8_t> out) -> Result<void> {
                             std::memcpy(out.data(), data.data(), out.size());
                             return {};
                           }));
  }
  return {};
}

Result<void> GgufWriter::write(const std::filesystem::path& path, const Progress& progress) const {
  for (const auto& [key, value] : metadata_) {
    if (!value_consistent(value)) {
      return make_error("gguf writer: metadata key '{}' holds a value that does not match its type {}", key,
                        gguf_type_name(value.type));
    }
  }
  const std::filesystem::path temp = path.string() + ".partial";
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(temp.c_str(), "wb"));
  if (!f) return make_error("{}: cannot create: {}", temp.string(), std::strerror(errno));
  Output out(f.get());

  out.bytes("GGUF", 4);
  out.pod<uint32_t>(3);
  out.pod<uint64_t>(tensors_.size());
  out.pod<uint64_t>(metadata_.size());
  for (const auto& [key, value] : metadata_) {
    out.string(key);
    out.pod<uint32_t>(static_cast<uint32_t>(value.type));
    write_value(out, value);
  }
  uint64_t offset = 0, total = 0;
  for (const Tensor& t : tensors_) {
    out.string(t.name);
    out.pod<uint32_t>(static_cast<uint32_t>(t.ne.size()));
    for (uint64_t d : t.ne) out.pod<uint64_t>(d);
    out.pod<uint32_t>(static_cast<uint32_t>(t.type));
    out.pod<uint64_t>(offset);
    offset += (t.size_bytes + alignment_ - 1) / alignment_ * alignment_;
    total += t.size_bytes;
  }
  out.pad_to(alignment_);

  Result<void> status;
  std::vector<uint8_t> buffer;
  uint64_t done = 0;
  for (const Tensor& t : tensors_) {
    buffer.assign(t.size_bytes, 0);
    status = t.fill(buffer);
    if (!status.ok()) break;
    out.bytes(buffer.data(), buffer.size());
    out.pad_to(alignment_);
    done += t.size_bytes;
    if (!out.ok()) break;
    if (progress && !progress(done, total)) {
      status = make_error("{}: writing was cancelled", path.string());
      break;
    }
  }
  const bool flushed = std::fflush(f.get()) == 0 && out.ok();
  const int write_errno = errno;
  f.reset();
  if (status.ok() && !flushed) {
    status = make_error("{}: write failed: {}", temp.string(), std::strerror(write_errno));
  }
  if (status.ok()) {
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec) status = make_error("{}: cannot move the finished file into place: {}", path.string(), ec.message());
  }
  if (!status.ok()) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
  }
  return status;
}

}  // namespace lathe
