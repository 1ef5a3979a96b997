public class Hello {
    public static void main(String[] args) {
        StringBuilder sb = new StringBuilder("dlint");
        System.out.println("Hello from java-classes: " + sb.reverse());
        System.out.println("user.dir=" + System.getProperty("user.dir"));
    }
}
