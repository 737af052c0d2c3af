#include "gguf/reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>

namespace lathe {

// The bytes of a file: memory-mapped, or owned (for parse()).
class GgufFile::Mapping {
 public:
  Mapping(void* addr, size_t size) : addr_(addr), size_(size) {}
  explicit Mapping(std::vector<uint8_t> bytes) : owned_(std::move(bytes)), size_(owned_.size()) {}
  ~Mapping() {
    if (addr_ != nullptr) munmap(addr_, size_);
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;

  const uint8_t* data() const {
    return addr_ != nullptr ? static_cast<const uint8_t*>(addr_) : owned_.data();
  }
  size_t size() const { return size_; }

 private:
  void* addr_ = nullptr;
  std::vector<uint8_t> owned_;
  size_t size_ = 0;
};

namespace {

constexpr int kMaxArrayDepth = 8;

// Reads little-endian values from the header, never past the end of the file.
class Cursor {
 public:
  Cursor(const uint8_t* data, uint64_t size, const std::string& file) : data_(data), size_(size), file_(file) {}

  uint64_t position() const { return pos_; }
  uint64_t remaining() const { return size_ - pos_; }

  template <class T>
  Result<T> read(std::string_view what) {
    if (remaining() < sizeof(T)) return truncated(what);
    T v;
    std::memcpy(&v, data_ + pos_, sizeof v);
    pos_ += sizeof v;
    return v;
  }

  Result<std::string> read_string(std::string_view what) {
    LATHE_TRY(uint64_t length, read<uint64_t>(what));
    if (length > remaining()) {
      return make_error("{}: {} is a string of {} bytes but only {} bytes remain in the file", file_, what,
                        length, remaining());
    }
    std::string s(reinterpret_cast<const char*>(data_ + pos_), length);
    pos_ += length;
    return s;
  }

  Result<std::vector<uint8_t>> read_bytes(uint64_t count, std::string_view what) {
    if (count > remaining()) return truncated(what);
    std::vector<uint8_t> bytes(data_ + pos_, data_ + pos_ + count);
    pos_ += count;
    return bytes;
  }

  Error truncated(std::string_view what) const {
    return make_error("{}: file is truncated: {} runs past the end ({} bytes)", file_, what, size_);
  }

 private:
  const uint8_t* data_;
  uint64_t size_;
  uint64_t pos_ = 0;
  const std::string& file_;
};

Result<GgufType> read_type(Cursor& in, const std::string& file, std::string_view what) {
  LATHE_TRY(uint32_t id, in.read<uint32_t>(what));
  if (!gguf_type_valid(id)) return make_error("{}: {} has unknown value type id {}", file, what, id);
  return static_cast<GgufType>(id);
}

Result<GgufArray> read_array(Cursor& in, const std::string& file, const std::string& what, int depth);

Result<GgufValue> read_value(Cursor& in, GgufType type, const std::string& file, const std::string& what) {
  switch (type) {
    case GgufType::u8: { LATHE_TRY(auto v, in.read<uint8_t>(what)); return GgufValue{type, uint64_t{v}}; }
    case GgufType::u16: { LATHE_TRY(auto v, in.read<uint16_t>(what)); return GgufValue{type, uint64_t{v}}; }
    case GgufType::u32: { LATHE_TRY(auto v, in.read<uint32_t>(what)); return GgufValue{type, uint64_t{v}}; }
    case GgufType::u64: { LATHE_TRY(auto v, in.read<uint64_t>(what)); return GgufValue{type, v}; }
    case GgufType::i8: { LATHE_TRY(auto v, in.read<int8_t>(what)); return GgufValue{type, int64_t{v}}; }
    case GgufType::i16: { LATHE_TRY(auto v, in.read<int16_t>(what)); return GgufValue{type, int64_t{v}}; }
    case GgufType::i32: { LATHE_TRY(auto v, in.read<int32_t>(what)); return GgufValue{type, int64_t{v}}; }
    case GgufType::i64: { LATHE_TRY(auto v, in.read<int64_t>(what)); return GgufValue{type, v}; }
    case GgufType::f32: { LATHE_TRY(auto v, in.read<float>(what)); return GgufValue{type, double{v}}; }
    case GgufType::f64: { LATHE_TRY(auto v, in.read<double>(what)); return GgufValue{type, v}; }
    case GgufType::boolean: {
      LATHE_TRY(auto v, in.read<uint8_t>(what));
      if (v > 1) return make_error("{}: {} is a bool stored as {}, not 0 or 1", file, what, v);
      return GgufValue{type, v != 0};
    }
    case GgufType::string: { LATHE_TRY(auto v, in.read_string(what)); return GgufValue{type, std::move(v)}; }
    case GgufType::array: { LATHE_TRY(auto v, read_array(in, file, what, 1)); return GgufValue{type, std::move(v)}; }
  }
  return make_error("{}: {} has an unknown value type", file, what);
}

Result<GgufArray> read_array(Cursor& in, const std::string& file, const std::string& what, int depth) {
  if (depth > kMaxArrayDepth) {
    return make_error("{}: {} nests arrays deeper than {} levels", file, what, kMaxArrayDepth);
  }
  GgufArray array;
  LATHE_TRY(array.type, read_type(in, file, what + " (array element type)"));
  LATHE_TRY(array.count, in.read<uint64_t>(what + " (array length)"));
  // Each element takes at least this many bytes in the file: bound the count before allocating.
  const uint64_t min_element = array.type == GgufType::string  ? 8
                               : array.type == GgufType::array ? 12
                                                               : gguf_type_size(array.type);
  if (array.count > in.remaining() / min_element) {
    return make_error("{}: {} claims {} elements of type {}, more than the {} bytes left in the file hold",
                      file, what, array.count, gguf_type_name(array.type), in.remaining());
  }
  if (array.type == GgufType::string) {
    array.strings.reserve(array.count);
    for (uint64_t i = 0; i < array.count; ++i) {
      LATHE_TRY(std::string s, in.read_string(what));
      array.strings.push_back(std::move(s));
    }
  } else if (array.type == GgufType::array) {
    array.arrays.reserve(array.count);
    for (uint64_t i = 0; i < array.count; ++i) {
      LATHE_TRY(GgufArray inner, read_array(in, file, what, depth + 1));
      array.arrays.push_back(std::move(inner));
    }
  } else {
    LATHE_TRY(array.packed, in.read_bytes(array.count * min_element, what));
    if (array.type == GgufType::boolean) {
      for (uint8_t b : array.packed) {
        if (b > 1) return make_error("{}: {} holds a bool stored as {}, not 0 or 1", file, what, b);
      }
    }
  }
  return array;
}

bool mul_overflows(uint64_t a, uint64_t b, uint64_t& out) { return __builtin_mul_overflow(a, b, &out); }

Error check_version(uint32_t version, const std::string& file) {
  if (version == 1) {
    return make_error("{}: GGUF version 1 is obsolete and not supported; convert the model again with a "
                      "current llama.cpp (GGUF v2 or v3)", file);
  }
  if (version == 0x02000000u || version == 0x03000000u) {
    return make_error("{}: this is a big-endian GGUF file; only little-endian files are supported", file);
  }
  return make_error("{}: unsupported GGUF version {} (supported: 2 and 3)", file, version);
}

}  // namespace

std::string GgufTensorInfo::shape_string() const {
  std::string s = "[";
  for (int i = 0; i < n_dims; ++i) s += fmt::format("{}{}", i ? ", " : "", ne[i]);
  return s + "]";
}

Result<GgufFile> GgufFile::open(const std::filesystem::path& path) {
  const std::string file = path.string();
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error("{}: cannot open: {}", file, std::strerror(errno));
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return make_error("{}: cannot read its size: {}", file, std::strerror(err));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return make_error("{}: not a regular file", file);
  }
  if (st.st_size == 0) {
    ::close(fd);
    return make_error("{}: the file is empty, not a GGUF model", file);
  }
  void* addr = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  int map_errno = errno;
  ::close(fd);
  if (addr == MAP_FAILED) return make_error("{}: cannot map into memory: {}", file, std::strerror(map_errno));
  return parse_mapping(std::make_shared<const Mapping>(addr, static_cast<size_t>(st.st_size)), file);
}

Result<GgufFile> GgufFile::parse(std::span<const uint8_t> bytes, std::string name) {
  return parse_mapping(std::make_shared<const Mapping>(std::vector<uint8_t>(bytes.begin(), bytes.end())),
                       std::move(name));
}

Result<GgufFile> GgufFile::parse_mapping(std::shared_ptr<const Mapping> mapping, std::string name) {
  GgufFile f;
  f.mapping_ = std::move(mapping);
  f.base_ = f.mapping_->data();
  f.size_ = f.mapping_->size();
  f.name_ = std::move(name);
  const std::string& file = f.name_;
  Cursor in(f.base_, f.size_, file);

  if (f.size_ < 4 || std::memcmp(f.base_, "GGUF", 4) != 0) {
    return make_error("{}: not a GGUF file (it does not start with the bytes 'GGUF')", file);
  }
  (void)in.read<uint32_t>("magic");
  LATHE_TRY(f.version_, in.read<uint32_t>("the version"));
  if (f.version_ != 2 && f.version_ != 3) return check_version(f.version_, file);

  LATHE_TRY(uint64_t n_tensors, in.read<uint64_t>("the tensor count"));
  LATHE_TRY(uint64_t n_kv, in.read<uint64_t>("the metadata count"));
  // A key-value pair takes at least 13 bytes (key length, type, one byte of value); a tensor info 24.
  if (n_kv > in.remaining() / 13) {
    return make_error("{}: header claims {} metadata entries, more than the file can hold", file, n_kv);
  }
  if (n_tensors > in.remaining() / 24) {
    return make_error("{}: header claims {} tensors, more than the file can hold", file, n_tensors);
  }

  f.metadata_.reserve(n_kv);
  for (uint64_t i = 0; i < n_kv; ++i) {
    LATHE_TRY(std::string key, in.read_string(fmt::format("the key of metadata entry {}", i)));
    const std::string what = fmt::format("metadata key '{}'", key);
    if (f.metadata_index_.count(key)) return make_error("{}: {} appears twice", file, what);
    LATHE_TRY(GgufType type, read_type(in, file, what));
    LATHE_TRY(GgufValue value, read_value(in, type, file, what));
    f.metadata_index_.emplace(key, f.metadata_.size());
    f.metadata_.emplace_back(std::move(key), std::move(value));
  }

  if (const GgufValue* a = f.find("general.alignment")) {
    const uint64_t* v = std::get_if<uint64_t>(&a->data);
    if (a->type != GgufType::u32 || v == nullptr) {
      return make_error("{}: metadata key 'general.alignment' must be a u32, not {}", file,
                        gguf_type_name(a->type));
    }
    if (*v == 0 || (*v & (*v - 1)) != 0) {
      return make_error("{}: metadata key 'general.alignment' is {}, not a power of two", file, *v);
    }
    f.alignment_ = *v;
  }

  f.tensors_.reserve(n_tensors);
  for (uint64_t i = 0; i < n_tensors; ++i) {
    GgufTensorInfo t;
    LATHE_TRY(t.name, in.read_string(fmt::format("the name of tensor {}", i)));
    const std::string what = fmt::format("tensor '{}'", t.name);
    if (t.name.size() > kGgufMaxName) {
      return make_error("{}: {} has a name of {} bytes; at most {} are allowed", file, what, t.name.size(),
                        kGgufMaxName);
    }
    if (f.tensor_index_.count(t.name)) return make_error("{}: {} appears twice", file, what);
    LATHE_TRY(uint32_t n_dims, in.read<uint32_t>(what));
    if (n_dims == 0 || n_dims > kGgufMaxDims) {
      return make_error("{}: {} has {} dimensions; 1 to {} are supported", file, what, n_dims, kGgufMaxDims);
    }
    t.n_dims = static_cast<int>(n_dims);
    t.elements = 1;
    for (uint32_t d = 0; d < n_dims; ++d) {
      LATHE_TRY(t.ne[d], in.read<uint64_t>(what));
      if (t.ne[d] > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) ||
          mul_overflows(t.elements, t.ne[d], t.elements) ||
          t.elements > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return make_error("{}: {} has an impossible shape (dimension {} is {})", file, what, d, t.ne[d]);
      }
    }
    LATHE_TRY(uint32_t type_id, in.read<uint32_t>(what));
    std::optional<DTypeInfo> info = dtype_info(type_id);
    if (!info) return make_error("{}: {} has unknown weight type id {}", file, what, type_id);
    t.type = info->type;
    if (t.ne[0] % info->block_size != 0) {
      return make_error("{}: {} has rows of {} values, not a multiple of {}'s block of {}", file, what,
                        t.ne[0], info->name, info->block_size);
    }
    t.size_bytes = t.elements / info->block_size * info->type_size;  // cannot overflow: type_size <= 292
    LATHE_TRY(t.offset, in.read<uint64_t>(what));
    if (t.offset % f.alignment_ != 0) {
      return make_error("{}: {} starts at offset {}, not a multiple of the alignment {}", file, what, t.offset,
                        f.alignment_);
    }
    f.tensor_index_.emplace(t.name, f.tensors_.size());
    f.tensors_.push_back(std::move(t));
  }

  // The data section starts at the next multiple of the alignment after the header.
  const uint64_t header_end = in.position();
  f.data_offset_ = (header_end + f.alignment_ - 1) / f.alignment_ * f.alignment_;
  for (const GgufTensorInfo& t : f.tensors_) {
    uint64_t end = 0;
    if (__builtin_add_overflow(f.data_offset_, t.offset, &end) ||
        __builtin_add_overflow(end, t.size_bytes, &end) || end > f.size_) {
      return make_error("{}: tensor '{}' ({} bytes at data offset {}) runs past the end of the file ({} bytes)",
                        file, t.name, t.size_bytes, t.offset, f.size_);
    }
  }
  return f;
}

const GgufValue* GgufFile::find(std::string_view key) const {
  auto it = metadata_index_.find(std::string(key));
  return it == metadata_index_.end() ? nullptr : &metadata_[it->second].second;
}

namespace {

Error missing(const std::string& file, std::string_view key) {
  return make_error("{}: metadata key '{}' is missing", file, key);
}

Error wrong_type(const std::string& file, std::string_view key, const GgufValue& v, std::string_view want) {
  return make_error("{}: metadata key '{}' is {} ({}), expected {}", file, key, gguf_type_name(v.type),
                    v.describe(4), want);
}

}  // namespace

Result<uint64_t> GgufFile::get_uint(std::string_view key) const {
  const GgufValue* v = find(key);
  if (!v) return missing(name_, key);
  if (const uint64_t* u = std::get_if<uint64_t>(&v->data)) return *u;
  if (const int64_t* i = std::get_if<int64_t>(&v->data); i && *i >= 0) return static_cast<uint64_t>(*i);
  return wrong_type(name_, key, *v, "a non-negative integer");
}

Result<int64_t> GgufFile::get_int(std::string_view key) const {
  const GgufValue* v = find(key);
  if (!v) return missing(name_, key);
  if (const int64_t* i = std::get_if<int64_t>(&v->data)) return *i;
  if (const uint64_t* u = std::get_if<uint64_t>(&v->data);
      u && *u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return static_cast<int64_t>(*u);
  }
  return wrong_type(name_, key, *v, "an integer");
}

Result<double> GgufFile::get_float(std::string_view key) const {
  const GgufValue* v = find(key);
  if (!v) return missing(name_, key);
  if (const double* d = std::get_if<double>(&v->data)) return *d;
  if (const uint64_t* u = std::get_if<uint64_t>(&v->data)) return static_cast<double>(*u);
  if (const int64_t* i = std::get_if<int64_t>(&v->data)) return static_cast<double>(*i);
  return wrong_type(name_, key, *v, "a number");
}

Result<bool> GgufFile::get_bool(std::string_view key) const {
  const GgufValue* v = find(key);
  if (!v) return missing(name_, key);
  if (const bool* b = std::get_if<bool>(&v->data)) return *b;
  return wrong_type(name_, key, *v, "a bool");
}

Result<std::string> GgufFile::get_string(std::string_view key) const {
  const GgufValue* v = find(key);
  if (!v) return missing(name_, key);
  if (const std::string* s = v->as_string()) return *s;
  return wrong_type(name_, key, *v, "a string");
}

Result<const GgufArray*> GgufFile::get_array(std::string_view key) const {
  const GgufValue* v = find(key);
  if (!v) return missing(name_, key);
  if (const GgufArray* a = v->as_array()) return a;
  return wrong_type(name_, key, *v, "an array");
}

std::string GgufFile::architecture() const {
  const GgufValue* v = find("general.architecture");
  const std::string* s = v ? v->as_string() : nullptr;
  return s ? *s : std::string();
}

const GgufTensorInfo* GgufFile::find_tensor(std::string_view name) const {
  auto it = tensor_index_.find(std::string(name));
  return it == tensor_index_.end() ? nullptr : &tensors_[it->second];
}

std::span<const uint8_t> GgufFile::tensor_data(const GgufTensorInfo& tensor) const {
  return {base_ + data_offset_ + tensor.offset, tensor.size_bytes};
}

}  // namespace lathe
